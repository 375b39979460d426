"""Personal data: which columns hold it, and masking it in free text.

Respondents' personal data (UU 27/2022 Pelindungan Data Pribadi) never leaves
the reader: a column that holds it is dropped before anything is computed,
cached or written, and free text (saran, unrecognised text columns) is masked
on reading, so no report, workbook, cache or log can carry it.

A column is personal when

- its header names personal data (the ``personal`` list of the survey
  definition, matched on normalised words: "No. WhatsApp", "NIK (KTP)",
  "Tempat/Tgl Lahir", ...), or
- its values mostly look like personal data whatever its header: phone
  numbers, e-mail addresses, identity numbers (NIK, NIP, account numbers:
  nine digits or more in any grouping) or dates of birth. A date column is
  a date of birth when its dates lie decades back (median before 2005, or
  ten years or more before the survey dates) or spread over years, never
  when they cluster like answer dates (``tanggal``, a timestamp).

pandas is imported by the functions that take a column: masking a text
(:func:`mask_personal`) is also what ``skmkit ikm`` on a large CSV checks unit
names with, without pandas (:mod:`skmkit.ikm_csv`).

Free text is masked by :func:`mask_personal` in time linear in its length:
every pattern is a single pass with bounded or unambiguous repetition (no
nested quantifiers that could backtrack).

Examples
--------
>>> mask_personal("Hubungi saya di 0812-3456-7890 atau budi@contoh.id")
'Hubungi saya di [nomor disamarkan] atau [surel disamarkan]'
>>> personal_header("No. Telp/HP")
True
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

from .errors import Problem
from .survey import field_name, load_survey, normalize

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["mask_personal", "mask_value", "personal_header", "personal_content", "personal_names", "protect"]

# ------------------------------------------------------------ free text
# Every pattern is a single pass: possessive quantifiers (``++``, ``*+``) never
# give back what they took, so no position is scanned more than a bounded number
# of times, and the separators between repetitions exclude what follows them.
# E-mail: the local part starts at the beginning of a run (lookbehind), so a run
# is scanned once; "@" may be written "[at]"/"(at)" and spaced, dots "[dot]".
_AT_WORDS = ("[at]", "(at)", "{at}")
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]++\s{0,3}+(?:@|\[at\]|\(at\)|\{at\})\s{0,3}+[\w-]++"
    r"(?:\s{0,3}+(?:\.|\[dot\]|\(dot\))\s{0,3}+[\w-]++)++",
    re.IGNORECASE)
# "budi at gmail dot com": only with a known mail provider after "at".
_PROVIDERS = ("gmail", "yahoo", "ymail", "hotmail", "outlook", "live", "icloud", "proton")
_EMAIL_WORDS = re.compile(
    r"(?<![\w.+-])[\w.+-]++\s{1,3}+at\s{1,3}+(?:gmail|yahoo|ymail|hotmail|outlook|live|icloud|proton(?:mail)?)"
    r"(?:\s{0,3}+(?:\.|dot)\s{0,3}+[a-z]{2,6}+)*+\b",
    re.IGNORECASE)
# A number with its grouping: digits joined by at most two separators each
# ("0812-3456-7890", "(021) 555-1234", "+62 812 3456 7890", "3201.2345.6789.0124").
# Each repetition must consume a digit, so the match is unambiguous.
# It starts with a character set so that the engine skips to candidates quickly.
_SEP = r"[\s().\-/_\u2010-\u2015\u2212]"  # spaces, brackets, dots, hyphens and dashes, slash
_NUMBER = re.compile(r"[\d+(](?:(?<=\()\s?\d|(?<=\+)\d|(?<=\d))(?:" + _SEP + r"{0,2}+\d)*+")
# Social media handles ("@budi_santoso"), after e-mails are masked.
_HANDLE = re.compile(r"@(?<![\w.@]@)[A-Za-z0-9_][A-Za-z0-9_.]{1,29}+")  # literal first: fast skip
# Links to a person's social media profile ("instagram.com/budi.s", "fb.com/budi").
_PROFILE_LINK = re.compile(r"(?<![\w.])(?:facebook|fb|instagram|instagr\.am|twitter|x|tiktok|linkedin|t)\.(?:com|me)"
                           r"/@?[\w.\-]{1,60}+(?:/in/[\w.\-]{1,60}+)?", re.IGNORECASE)
# A handle is masked when it looks made up (digits, "_" or "."), or after a social media word;
# "@petugas loket" is a word, not an account.
_SOCIAL = re.compile(r"(?:ig|instagram|insta|twitter|tiktok|fb|facebook|akun|telegram|tele|x|follow)\W{0,3}$",
                     re.IGNORECASE)
_MADE_UP = re.compile(r"[\d_.]")


def _handle(match: re.Match) -> str:
    before = match.string[max(0, match.start() - 14):match.start()]
    if _MADE_UP.search(match.group(), 1) or _SOCIAL.search(before):
        return "[akun disamarkan]"
    return match.group()


# Words that make a shorter number personal when they stand just before it.
_CONTEXT = re.compile(r"(?:telp|telepon|tlp|hp|handphone|wa|whatsapp|hub|hubungi|kontak|nik|ktp|nip|"
                      r"rek|rekening|lahir|ttl|no|nomor|nomer|call|sms)\W{0,3}$", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_ANY_DIGIT = _DIGIT

#: A number with at least this many digits is masked wherever it stands.
_MIN_DIGITS = 9
#: With a personal word just before it ("telp 5551234", "lahir 12-05-1985").
_MIN_DIGITS_AFTER_WORD = 6


# A date with its time ("2026-01-15 10:23:11", "15/01/2026 10.23"): kept unless a birth word precedes it.
_DATE_TIME = re.compile(r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})"
                        r"(?:\s{1,2}\d{1,2}(?:[:.]\d{2}(?:[:.]\d{2})?)?)?")  # ":" ends a number match
# A birth word, perhaps followed by the place ("TTL: Batam, 12-05-1985").
_BIRTH_WORD = r"(?:lahir|ttl|dob|birth)\W{0,3}(?:[^\W\d_]{1,20}\W{1,3}){0,2}"
_BIRTH = re.compile(_BIRTH_WORD + "$", re.IGNORECASE)
_MONTH_NAMES = ("jan|feb|mar|apr|mei|may|jun|jul|agu|agt|aug|sep|okt|oct|nov|des|dec|januari|februari|maret|"
                "april|juni|juli|agustus|september|oktober|november|desember|january|february|march|june|july|"
                "august|october|december|pebruari|nopember")
# A date of birth written with the month's name ("lahir 12 Mei 1985").
_BIRTH_DATE = re.compile(r"(" + _BIRTH_WORD + r")\d{1,2}[\s\-/.]{1,2}(?:" + _MONTH_NAMES
                         + r")\.?[\s\-/.,]{1,2}\d{4}", re.IGNORECASE)


def _number(match: re.Match) -> str:
    text = match.group()
    digits = len(_DIGIT.findall(text))
    if digits < _MIN_DIGITS_AFTER_WORD:
        return text
    before = match.string[max(0, match.start() - 32):match.start()]
    if _DATE_TIME.fullmatch(text):
        return "[nomor disamarkan]" if _BIRTH.search(before) else text
    if digits >= _MIN_DIGITS or _CONTEXT.search(before[-16:]):
        return "[nomor disamarkan]"
    return text


def mask_personal(text) -> str:
    """Mask phone numbers, e-mail addresses, identity numbers and handles in free text.

    Masked: e-mail addresses (also ``budi @ mail.id``, ``budi[at]mail[dot]id``),
    every number of nine digits or more in any grouping (mobile and landline
    numbers with or without ``+62``/``62``/area code in brackets, NIK, NIP,
    account numbers), a number of six digits or more right after a personal
    word ("telp", "WA", "NIK", "lahir", ...) such as a short landline or a
    date of birth, and social media handles. Runs in time linear in the
    length of ``text``.

    Parameters
    ----------
    text : object
        Free text (converted with ``str``).

    Returns
    -------
    str

    Examples
    --------
    >>> mask_personal("NIK 3201 2345 6789 0124, telp (021) 555-1234")
    'NIK [nomor disamarkan], telp [nomor disamarkan]'
    >>> mask_personal("antre 2 jam, loket 3")
    'antre 2 jam, loket 3'
    """
    text = str(text)
    if not text:
        return text
    lower = text.lower()
    if "@" in text or any(a in lower for a in _AT_WORDS):  # literal searches first: most texts
        text = _EMAIL.sub("[surel disamarkan]", text)      # hold no e-mail at all
        lower = text.lower()
    if any(p in lower for p in _PROVIDERS):
        text = _EMAIL_WORDS.sub("[surel disamarkan]", text)
    if _ANY_DIGIT.search(text):
        if any(w in lower for w in ("lahir", "ttl", "dob", "birth")):
            text = _BIRTH_DATE.sub(lambda m: m.group(1) + "[tanggal disamarkan]", text)
        text = _NUMBER.sub(_number, text)
    if "/" in text:
        text = _PROFILE_LINK.sub("[akun disamarkan]", text)
    return _HANDLE.sub(_handle, text) if "@" in text else text


def mask_value(value):
    """A cell value for a message: itself, or its masked text when it holds personal data.

    Examples
    --------
    >>> mask_value(5), mask_value(81234567890)
    (5, '[nomor disamarkan]')
    """
    text = str(value)
    masked = mask_personal(text)
    return value if masked == text else masked


def personal_names(values: pd.Series) -> np.ndarray:
    """Which values of a naming column (unit, layanan, periode) hold personal data.

    A name never holds a phone number, an e-mail address, an identity number
    or a handle: a value that :func:`mask_personal` would change ("Bu Siti
    0812-7777-3141", "siti@contoh.id", "NIK 3201...") is personal data typed
    where a name belongs, and must never become a group, a unit or a file name.

    Returns
    -------
    numpy.ndarray of bool
        One flag per value (blanks and numbers False).

    Examples
    --------
    >>> import pandas as pd
    >>> personal_names(pd.Series(["Dinas Sosial", "Bu Siti 0812-7777-3141", None, "UPT Puskesmas 2"])).tolist()
    [False, True, False, False]
    """
    import pandas as pd

    if not any(isinstance(u, str) and mask_personal(u) != u for u in values.unique()):
        return np.zeros(len(values), dtype=bool)  # the usual case, without codes for every row
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    flags = np.array([isinstance(u, str) and mask_personal(u) != u for u in uniques] + [False], dtype=bool)
    return flags[codes]


# ------------------------------------------------------------ headers
# Words naming a thing, not a person: "Nama Unit", "Alamat Kantor Layanan".
_NOT_A_PERSON = {"unit", "layanan", "pelayanan", "opd", "skpd", "upt", "dinas", "instansi", "perangkat",
                 "kegiatan", "produk", "survei", "periode", "kantor", "puskesmas", "sekolah", "lokasi"}
# Aliases that name a person's name or address (weak: "nama layanan" is not personal).
_WEAK = {"nama", "alamat"}


# Headers that name the respondent when they stand alone ("Responden" holding names); "Jumlah
# Responden" or "Kategori Responden" are not personal.
_ALONE = {"responden", "respondent", "pemohon"}


def _contains(tokens: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return any(tokens[i:i + n] == phrase for i in range(len(tokens) - n + 1))


def personal_header(header, survey=None) -> bool:
    """Whether a column header names personal data.

    A header is personal when one of the survey definition's ``personal``
    aliases appears in it as whole words after normalisation ("No. Telp/HP"
    holds "telp" and "hp"; "E-mail Address" holds "e mail"). "nama" and
    "alamat" alone do not count when the header names a thing ("Nama
    Layanan", "Alamat Unit").

    Parameters
    ----------
    header : str
    survey : SurveyDefinition or path, optional
        Default PermenPANRB 14/2017 (its ``personal`` list).
    """
    survey = load_survey(survey)
    name = field_name(header)
    if name != str(header).strip() and survey.header_candidates(name):
        header = name  # "grp_identitas/unit": a group path names no data; the question named last does
    tokens = normalize(header).split()
    if not tokens:
        return False
    if len(tokens) == 1 and tokens[0] in _ALONE:
        return True
    thing = bool(_NOT_A_PERSON & set(tokens))
    for alias in survey.personal:
        phrase = alias.split()
        if phrase and _contains(tokens, phrase) and not (thing and set(phrase) <= _WEAK):
            return True
    return False


# ------------------------------------------------------------ content
_SAMPLE = 2000  # values looked at per column (evenly spaced, deterministic)
_LONGEST = 80  # a longer value is free text, not one personal value
_MONTHS = _MONTH_NAMES
_PLACE = r"(?:[^\W\d_][^\d,/;]{0,58}\s?[,/;]\s?)?"
_TIME = r"(?:[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\.\d+)?)?"
_DATES = [
    (re.compile(_PLACE + r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME, re.I), 1),
    (re.compile(_PLACE + r"(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})" + _TIME, re.I), 3),
    (re.compile(_PLACE + r"(\d{1,2})[-/. ]{1,2}(?:" + _MONTHS + r")\.?[-/. ,]{1,2}(\d{4})" + _TIME, re.I), 2),
    (re.compile(_PLACE + r"(?:" + _MONTHS + r")\.?[ -](\d{1,2}),?[ -](\d{4})" + _TIME, re.I), 2),
]
_KINDS = {"phone": "nomor telepon", "email": "alamat surel", "id": "nomor identitas (NIK/NIP/rekening)",
          "dob": "tanggal lahir"}


_LONG_DIGITS = re.compile(r"\d{5}")


def _year(text: str):
    """The year of a date written out (with a place before it, a time or a time zone after it)."""
    for pattern, group in _DATES:
        m = pattern.match(text)
        # "2026/01/15 10:23:11 GMT+7", "2026-01-15T10:23:11Z": what follows holds no other number
        if m and (m.end() == len(text) or not _LONG_DIGITS.search(text, m.end())):
            return int(m.group(group))
    return None


def _sample(values: pd.Series) -> pd.Series:
    filled = np.flatnonzero(values.notna().to_numpy())  # positions first: no copy of a million filled cells
    if len(filled) > _SAMPLE:
        filled = filled[np.linspace(0, len(filled) - 1, _SAMPLE).astype(int)]
    return values.iloc[filled]


_LETTER = re.compile(r"[^\W\d_]")
#: A cell is one personal value when, once its e-mails and long numbers are taken out,
#: at most this many letters are left (a label such as "WA:" or "NIK", a "/" between two).
_LABEL_LETTERS = 12


def _kind(text: str):
    if len(text) > _LONGEST:
        return None
    if _year(text) is not None:
        return "date"
    emails = [m for m in _EMAIL.finditer(text)]
    numbers = [m for m in _NUMBER.finditer(text) if len(_DIGIT.findall(m.group())) >= _MIN_DIGITS]
    if not emails and not numbers:
        return None
    rest = _NUMBER.sub("", _EMAIL.sub("", text))
    if len(_LETTER.findall(rest)) > _LABEL_LETTERS:
        return None  # a sentence that mentions a number: free text, masked instead
    if emails:
        return "email"
    plain = _DIGIT.findall(numbers[0].group())
    phone = "".join(plain).startswith(("0", "62", "8")) and len(plain) <= 14
    return "phone" if phone else "id"


def _years(values: pd.Series) -> np.ndarray:
    """Years of the date-like values of a column (NaN where not a date)."""
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.year.to_numpy(dtype="float64", na_value=np.nan)
    out = [_year(str(v).strip()) if not isinstance(v, (int, float)) else None for v in values]
    return np.array([np.nan if y is None else y for y in out], dtype="float64")


def personal_content(values: pd.Series, *, survey_year: float | None = None, answer_date: bool = False):
    """The kind of personal data a column's values mostly hold, or ``None``.

    Parameters
    ----------
    values : pandas.Series
        The column as read.
    survey_year : float, optional
        The median year of the answer dates, when the file has them: dates
        ten years or more before it are dates of birth.
    answer_date : bool
        The column was recognised as the answer date: only dates that lie
        decades back (median before 2005) make it a date of birth.

    Returns
    -------
    str or None
        ``"nomor telepon"``, ``"alamat surel"``, ``"nomor identitas ..."``,
        ``"tanggal lahir"`` (the Indonesian name of the kind) or ``None``.
    """
    import pandas as pd

    sample = _sample(values)
    if sample.empty or pd.api.types.is_bool_dtype(sample):
        return None
    if pd.api.types.is_datetime64_any_dtype(sample):
        return _KINDS["dob"] if _birth_dates(_years(sample), survey_year, answer_date) else None
    if pd.api.types.is_numeric_dtype(sample):
        num = sample.to_numpy(dtype="float64")
        whole = np.isfinite(num) & (num == np.floor(num)) & (np.abs(num) < 1e19)
        texts = [str(int(v)) for v in num[whole]]
        if len(texts) * 2 <= len(sample):
            return None
        sample = pd.Series(texts, dtype=object)
    texts = [str(v).strip() for v in sample]
    texts = [t for t in texts if t and t.lower() not in {"-", "nan", "none", "tidak ada"}]
    if not texts:
        return None
    of = {t: _kind(t) for t in dict.fromkeys(texts)}  # each distinct text once (answers repeat)
    kinds = [of[t] for t in texts]
    counts = {k: kinds.count(k) for k in ("phone", "email", "id", "date")}
    if counts["date"] * 2 > len(texts):
        years = np.array([_year(t) for t, k in zip(texts, kinds) if k == "date"], dtype="float64")
        return _KINDS["dob"] if _birth_dates(years, survey_year, answer_date) else None
    if (counts["phone"] + counts["email"] + counts["id"]) * 2 > len(texts):
        return _KINDS[max(("phone", "email", "id"), key=lambda k: counts[k])]
    return None


def _birth_dates(years: np.ndarray, survey_year, answer_date: bool) -> bool:
    years = years[np.isfinite(years)]
    if not len(years):
        return False
    median = float(np.median(years))
    if median < 2005:  # answer dates of a 14/2017 survey cannot lie there; adults' births do
        return True
    if answer_date:
        return False
    spread = float(np.subtract(*np.percentile(years, [75, 25])))
    return spread >= 3 or (survey_year is not None and survey_year - median >= 10)


# ------------------------------------------------------------ the reader's step
#: Columns that name or date a group, never typed-in text: not masked (a unit is chosen by its name).
_NOT_FREE_TEXT = {"unit", "tanggal", "jam", "periode", "usia"}


def protect(raw: pd.DataFrame, mapping: dict, personal: list, *, survey=None, source: str = "data"):
    """Drop personal columns and mask free text, before anything else sees the data.

    Called once by :func:`skmkit.validate.validate_table` after the headers
    are recognised. Every column that is not an unsur is checked by header
    and by content; free text (``saran``, the typed-in answers of ``layanan``,
    ``pekerjaan``, ``pendidikan``, ... and columns kept under their own header)
    is masked with :func:`mask_personal`; unit names and dates are not.

    Parameters
    ----------
    raw : pandas.DataFrame
        The table as read; it is not modified.
    mapping : dict
        Header -> unsur key, profile name, ``None`` (personal) or itself.
    personal : list of str
        Headers already recognised as personal.
    survey : SurveyDefinition, optional
    source : str
        File name for messages.

    Returns
    -------
    tuple
        ``(table, mapping, personal, problems)``: a table with masked free
        text (a new frame; ``raw`` untouched), the mapping with personal
        columns set to ``None``, every personal header, and one warning per
        column recognised by its content alone.
    """
    import pandas as pd

    survey = load_survey(survey)
    mapping, personal, problems = dict(mapping), list(personal), []
    date_header = next((h for h, c in mapping.items() if c == "tanggal"), None)
    survey_year = None
    if date_header is not None:
        years = _years(_sample(raw[date_header]))
        years = years[np.isfinite(years)]
        if len(years) and not _birth_dates(years, None, True):
            survey_year = float(np.median(years))
    for h, canon in mapping.items():
        if canon is None or canon in survey.keys:
            continue
        if personal_header(h, survey):
            mapping[h] = None
            personal.append(h)
            continue
        kind = personal_content(raw[h], survey_year=survey_year, answer_date=canon == "tanggal")
        if kind:
            mapping[h] = None
            personal.append(h)
            problems.append(Problem(
                message=f"isinya tampak {kind} (data pribadi); kolom ini dibuang dan tidak masuk ke "
                        "hasil, cache maupun log.",
                fix="hapus kolom data pribadi dari berkas sebelum dibagikan.", file=source, column=h,
                severity="warning", code="personal-content"))
    free_text = [h for h, canon in mapping.items()
                 if canon is not None and canon not in survey.keys and canon not in _NOT_FREE_TEXT
                 and not pd.api.types.is_numeric_dtype(raw[h]) and not pd.api.types.is_datetime64_any_dtype(raw[h])]
    table = raw
    if free_text:
        table = raw.copy(deep=False)  # new columns replace the old ones; raw keeps its own
        for h in free_text:
            table[h] = _mask_column(raw[h])
    return table, mapping, list(dict.fromkeys(personal)), problems


#: Joins a column's texts for one masking pass: no pattern matches across it
#: (not a separator of numbers, not part of an e-mail, longer than a word's reach).
_JOIN = "\x00" * 4


def _mask_column(col: pd.Series) -> pd.Series:
    """Mask each distinct text once (answers repeat), blanks kept as they are.

    The distinct texts are masked in one pass over their join (one call into
    the regular expression engine instead of one per text).
    """
    import pandas as pd

    texts = [u for u in col.unique() if isinstance(u, str)]  # cheaper than codes: most columns need none
    joined = _JOIN.join(texts)
    done = mask_personal(joined)
    if done == joined:
        return col  # nothing to mask: the column as it is (no copy)
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    if [u for u in uniques if isinstance(u, str)] != texts:  # both in order of appearance: never, but checked
        texts = [u for u in uniques if isinstance(u, str)]
        done = mask_personal(_JOIN.join(texts))
    if "\x00" not in "".join(texts):
        pieces = iter(done.split(_JOIN))
        masked = [next(pieces) if isinstance(u, str) else u for u in uniques]
    else:
        masked = [mask_personal(u) if isinstance(u, str) else u for u in uniques]
    values = np.array(masked + [None], dtype=object)[codes]
    out = pd.Series(values, index=col.index, dtype=object, name=col.name)
    return out.where(col.notna(), col)
