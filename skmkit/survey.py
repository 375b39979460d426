"""The survey definition: unsur, answer labels, scale, weights and bands.

The default is PermenPANRB 14/2017 (``skmkit/data/survey.yml``). A unit adapts
it with its own YAML file (other labels, reworded questions, another order or
scale) without touching code.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from .errors import SurveyDefinitionError

__all__ = ["Unsur", "Band", "SurveyDefinition", "load_survey", "normalize", "name_key", "field_name", "round_half_up"]

LEGACY_WEIGHTS = (0.111, 0.11)


def normalize(text) -> str:
    """Normalise a header or answer for matching.

    Lower case, accents folded, a leading question number ("1.", "2)") and all
    punctuation removed, white space folded.

    Examples
    --------
    >>> normalize("  1. Biaya/Tarif ")
    'biaya tarif'
    """
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = text.lower().strip()
    text = re.sub(r"^\s*\d+\s*[.)]\s*", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def name_key(value) -> str:
    """The key under which names typed by hand are the same (units, layanan, any group).

    Outer spaces removed, inner runs of white space collapsed, case ignored
    (``../shared/docs/skm-method.md``, "Unit names typed by hand"). Unlike
    :func:`normalize`, punctuation and numbers are kept: "UPT 1" and "UPT 2"
    stay apart.

    Examples
    --------
    >>> name_key("  DINAS  Sosial ") == name_key("Dinas Sosial")
    True
    """
    return " ".join(str(value).split()).casefold()


#: A header numbered by question: "P8", "P 8", "Q8", "Pertanyaan 8", "Soal 8", "No. 8", "8.", "8".
_QUESTION_NUMBER = re.compile(
    r"^\s*(?:(?:p|q|pertanyaan|soal|butir|no|nomor|nomer)\s*\.?\s*(\d{1,2})|(\d{1,2})\s*[.)]?)\s*[.:)]?\s*(.*)$",
    re.IGNORECASE)


def question_number(header) -> tuple[int, str] | None:
    """The question number of a header numbered by question, and the text after it.

    Examples
    --------
    >>> question_number("P8"), question_number("No. 9"), question_number("U8")
    ((8, ''), (9, ''), None)
    """
    m = _QUESTION_NUMBER.match(str(header))
    if not m:
        return None
    return int(m.group(1) or m.group(2)), m.group(3).strip()


def field_name(header) -> str:
    """The last part of a header written as a group path (KoboToolbox, ODK: ``grp_x/U1`` -> ``U1``).

    A header without ``/`` is returned as it is. Only a fallback: a header that
    means something whole ("Biaya/Tarif", "No. Telp/HP") is matched whole first.

    Examples
    --------
    >>> field_name("grp_identitas/unit"), field_name("Unit Layanan")
    ('unit', 'Unit Layanan')
    """
    return str(header).rsplit("/", 1)[-1].strip()


def round_half_up(value: float, digits: int = 2) -> float:
    """Round half away from zero (as people do by hand), not banker's rounding.

    Examples
    --------
    >>> round_half_up(88.305), round_half_up(2.675)
    (88.31, 2.68)
    """
    if value != value:  # NaN
        return value
    q = Decimal(1).scaleb(-digits)
    # Float noise first: 82 / 160 * 100 is 51.24999999999999 in binary, a half by hand (51.25 -> 51.3).
    # Ten decimals are far below any difference the method's ratios can make at the printed digits.
    exact = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-10), rounding=ROUND_HALF_EVEN) \
        if abs(value) < 1e12 else Decimal(repr(float(value)))
    return float(exact.quantize(q, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Unsur:
    """One survey element: key (``U1``), name, question text and answer labels."""

    key: str
    name: str
    question: str
    labels: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    #: The RTL programme proposed when a unit gives none.
    program: str = ""

    @property
    def number(self) -> int:
        """The number in the key (``U8`` -> 8)."""
        digits = re.sub(r"\D", "", self.key)
        return int(digits) if digits else 0


@dataclass(frozen=True)
class Band:
    """A quality band: mutu letter, kinerja words, lower bound and persepsi."""

    mutu: str
    kinerja: str
    min: float
    persepsi: int


@dataclass(frozen=True)
class SurveyDefinition:
    """A survey: its unsur in display order, scale, weights, bands and aliases.

    Use :func:`load_survey` to make one.
    """

    id: str
    name: str
    unsur: tuple[Unsur, ...]
    scale_min: int
    scale_max: int
    letters: tuple[str, ...]
    bands: tuple[Band, ...]
    conversion: float
    legacy_weight: float | None
    profile: dict = field(default_factory=dict, hash=False, compare=False)
    personal: tuple[str, ...] = ()
    source: str = "bawaan"
    questions: tuple[str, ...] = ()
    #: The rule the survey follows, as a report names it ("PermenPANRB Nomor 14 Tahun 2017") and in full.
    regulation: str = ""
    regulation_title: str = ""
    #: The report's "Dasar Hukum": the laws the survey rests on, its own regulation last.
    legal_basis: tuple[str, ...] = ()

    # -- the unsur -------------------------------------------------------
    @property
    def keys(self) -> list[str]:
        """Unsur keys in display order."""
        return [u.key for u in self.unsur]

    def get(self, key: str) -> Unsur:
        """Return the unsur with this key."""
        for u in self.unsur:
            if u.key == key:
                return u
        raise KeyError(key)

    @property
    def names(self) -> dict[str, str]:
        """Mapping key -> unsur name."""
        return {u.key: u.name for u in self.unsur}

    # -- weights and bands ----------------------------------------------
    def weight(self) -> float:
        """The weight of each unsur: exact ``1/n`` unless a legacy weight is set."""
        return self.legacy_weight if self.legacy_weight else 1.0 / len(self.unsur)

    def with_legacy_weight(self, weight: float | None) -> "SurveyDefinition":
        """Return a copy using a legacy spreadsheet weight (0.111 or 0.11) or exact 1/n."""
        if weight is not None and float(weight) not in LEGACY_WEIGHTS:
            raise SurveyDefinitionError(
                f"legacy_weight '{weight}' tidak dikenal. Perbaikan: gunakan 0.111, 0.11, atau kosongkan."
            )
        from dataclasses import replace

        return replace(self, legacy_weight=float(weight) if weight is not None else None)

    def weight_text(self, rated: int | None = None) -> str:
        """The weight as every output writes it, for an IKM computed from ``rated`` unsur.

        The one wording of the weight: ``"1/9 (tepat)"``; ``"1/8 (tepat; 8 dari 9 unsur dijawab)"``
        for a group where an unsur was not answered (skm-method.md); ``"0,111 (bobot lama
        spreadsheet)"``, scaled the way :mod:`skmkit.indices` scales it when unsur were not answered.

        Examples
        --------
        >>> s = load_survey()
        >>> s.weight_text(), s.weight_text(8), s.with_legacy_weight(0.111).weight_text(8)
        ('1/9 (tepat)', '1/8 (tepat; 8 dari 9 unsur dijawab)', '0,111 \u00d7 9/8 (bobot lama spreadsheet; 8 dari 9 unsur dijawab)')
        """
        n = len(self.unsur)
        x = n if rated is None else int(rated)
        answered = "" if x == n else f"; {x} dari {n} unsur dijawab"
        if self.legacy_weight:
            scaled = "" if x == n else f" \u00d7 {n}/{x}"
            return f"{repr(float(self.legacy_weight)).replace('.', ',')}{scaled} (bobot lama spreadsheet{answered})"
        return f"1/{x} (tepat{answered})"

    @property
    def weight_fraction(self) -> str:
        """The exact weight as a fraction: ``"1/9"`` for nine unsur."""
        return f"1/{len(self.unsur)}"

    @property
    def mutu_letters(self) -> tuple[str, ...]:
        """The mutu letters, best first (``A, B, C, D``)."""
        return tuple(b.mutu for b in self.bands)

    @property
    def weak_mutu(self) -> tuple[str, ...]:
        """The mutu letters of the lower half of the bands (``C, D``): an unsur there goes into the RTL."""
        return self.mutu_letters[len(self.bands) // 2:]

    @property
    def index_range(self) -> tuple[float, float]:
        """The range of the IKM and of converted values: scale x conversion (``25, 100``)."""
        return self.scale_min * self.conversion, self.scale_max * self.conversion

    def band(self, value: float) -> Band:
        """The band of a converted value (IKM or NRR x conversion).

        The value is rounded half-up to 2 decimals, then classified by lower
        bounds, so 88.31 is A and 88.30 is B.
        """
        v = round_half_up(float(value), 2)
        for b in self.bands:
            if v >= b.min:
                return b
        return self.bands[-1]

    def method(self) -> dict:
        """A description of the method for colophons and JSON output."""
        w = self.weight()
        return {
            "survey": self.id,
            "name": self.name,
            "regulation": self.regulation,
            "unsur": self.keys,
            "scale": [self.scale_min, self.scale_max],
            "weight": w,
            "weight_label": self.weight_text(),
            "legacy_weight": self.legacy_weight,
            "conversion": self.conversion,
            "rounding": "tampilan saja, 2 desimal, setengah ke atas",
            "bands": [{"mutu": b.mutu, "kinerja": b.kinerja, "min": b.min} for b in self.bands],
            "weak_mutu": list(self.weak_mutu),
        }

    # -- matching headers ------------------------------------------------
    def question_key(self, number: int) -> str | None:
        """The unsur asked as question ``number`` of the questionnaire (P8 -> U9 by default)."""
        order = self.questions or tuple(self.keys)
        return order[number - 1] if 1 <= number <= len(order) else None

    def header_candidates(self, header) -> list[tuple[str, str | None]]:
        """What a column header could mean: ``[(kind, name), ...]``, best first.

        ``kind`` is ``"unsur"`` (name = key), ``"question"`` (a header numbered by
        question; name = key through :attr:`questions`) or ``"profile"`` (name =
        canonical profile column). An empty list: not an unsur or profile header
        (personal-data headers are recognised by :mod:`skmkit.validate`). Two kinds mean the
        header is ambiguous (``"Waktu"``: U3 Waktu Penyelesaian or the date);
        the caller decides from the column's values.
        """
        text = str(header)
        if "/" in text:  # a KoboToolbox/ODK group path ("grp_x/U1"): the question's own name decides
            whole = self._candidates(text)
            return whole or self._candidates(field_name(text))
        return self._candidates(text)

    def _candidates(self, text: str) -> list[tuple[str, str | None]]:
        n = normalize(text)
        inner = normalize(text[text.find("[") + 1:text.rfind("]")]) if "[" in text and "]" in text else None
        forms = _forms(self)
        out: list[tuple[str, str | None]] = []
        key = forms["exact"].get(n) or (forms["exact"].get(inner) or forms["alias"].get(inner) if inner else None)
        if key is None:
            # "U1 Persyaratan", "Unsur 1 - ...", "... (U1)"
            for k, shorts in forms["short"].items():
                if any(n.startswith(f + " ") or n.endswith(" " + f) for f in shorts):
                    key = k
                    break
        if key is None:
            for k, (question, name) in forms["text"].items():
                if (question and question in n) or n.startswith(name + " "):
                    key = k
                    break
        qn = question_number(text)
        if key is None and qn is not None:
            number, rest = qn
            by_number = self.question_key(number)
            by_rest = self.header_candidates(rest) if rest else []
            by_rest = [c for c in by_rest if c[0] in ("unsur", "question")]
            if by_rest:  # "P8 Sarana", or "8. Pengaduan" in a form numbered by unsur: the words decide
                out.append(by_rest[0])
            elif by_number and not rest:  # "P8", "No. 8", "8."
                out.append(("question", by_number))
            elif n in forms["alias"]:
                out.append(("unsur", forms["alias"][n]))
        elif key is None and n in forms["alias"]:
            out.append(("unsur", forms["alias"][n]))
        elif key is not None:
            out.append(("unsur", key))
        prof = next((p for p, aliases in self.profile.items() if n in aliases), None)
        if prof is not None:
            out.append(("profile", prof))
        return out

    # -- matching answers ------------------------------------------------
    def answer_map(self, key: str) -> dict[str, int]:
        """Normalised answer text -> score for one unsur (numbers, letters, labels)."""
        u = self.get(key)
        out: dict[str, int] = {}
        for i, score in enumerate(range(self.scale_min, self.scale_max + 1)):
            out[str(score)] = score
            out[f"{score} 0"] = score  # "4.0" after normalisation
            if i < len(self.letters):
                out[normalize(self.letters[i])] = score
            if i < len(u.labels):
                out[normalize(u.labels[i])] = score
                # "d. Sangat sesuai", "4 - Sangat sesuai"
                if i < len(self.letters):
                    out[normalize(f"{self.letters[i]} {u.labels[i]}")] = score
                out[normalize(f"{score} {u.labels[i]}")] = score
        return out


@lru_cache(maxsize=16)
def _forms(survey: SurveyDefinition) -> dict:
    """Normalised header forms per unsur, cached per (immutable) definition."""
    exact, short, text, alias = {}, {}, {}, {}
    for u in survey.unsur:
        n = u.number
        fs = {normalize(u.key), normalize(u.name)}
        if n:
            fs |= {f"u{n}", f"u {n}", f"unsur {n}", f"unsur{n}"}
        if u.question:
            fs.add(normalize(u.question))
        for f in fs:
            exact.setdefault(f, u.key)
        short[u.key] = [f for f in fs if f.startswith(("u", "unsur")) and len(f) <= 8]
        text[u.key] = (normalize(u.question) if u.question else "", normalize(u.name))
        for a in u.aliases:
            alias.setdefault(normalize(a), u.key)
    return {"exact": exact, "short": short, "text": text, "alias": alias}


def _as_survey(raw: dict, source: str) -> SurveyDefinition:
    try:
        scale = raw.get("scale", {"min": 1, "max": 4})
        smin, smax = int(scale["min"]), int(scale["max"])
        by_key = {}
        for item in raw["unsur"]:
            labels = tuple(str(x) for x in item.get("labels", []))
            if labels and len(labels) != smax - smin + 1:
                raise SurveyDefinitionError(
                    f"{source}: unsur {item['key']} punya {len(labels)} label, skala {smin}-{smax} "
                    f"butuh {smax - smin + 1}. Perbaikan: samakan jumlah label dengan skala."
                )
            by_key[str(item["key"])] = Unsur(
                key=str(item["key"]), name=str(item["name"]),
                question=str(item.get("question", "")), labels=labels,
                aliases=tuple(str(a) for a in item.get("aliases") or ()),
                program=str(item.get("program") or ""),
            )
        order = [str(k) for k in raw.get("order") or list(by_key)]
        unknown = [k for k in order if k not in by_key]
        if unknown or sorted(order) != sorted(by_key):
            raise SurveyDefinitionError(
                f"{source}: 'order' {order} tidak sama dengan kunci unsur {sorted(by_key)}. "
                "Perbaikan: sebut setiap kunci unsur tepat satu kali."
            )
        bands = tuple(sorted(
            (Band(str(b["mutu"]), str(b["kinerja"]), float(b["min"]), int(b.get("persepsi", 0)))
             for b in raw["bands"]),
            key=lambda b: -b.min,
        ))
        legacy = raw.get("legacy_weight")
        survey = SurveyDefinition(
            id=str(raw.get("id", "custom")),
            name=str(raw.get("name", "Survei")),
            unsur=tuple(by_key[k] for k in order),
            scale_min=smin, scale_max=smax,
            letters=tuple(str(x) for x in raw.get("letters", ["a", "b", "c", "d"])),
            bands=bands,
            conversion=float(raw.get("conversion", 25)),
            legacy_weight=None,
            profile={k: [normalize(a) for a in v] for k, v in (raw.get("profile") or {}).items()},
            personal=tuple(normalize(p) for p in raw.get("personal") or ()),
            source=source,
            questions=_questions(raw.get("questions"), by_key, source),
            regulation=str(raw.get("regulation") or ""),
            regulation_title=str(raw.get("regulation_title") or raw.get("regulation") or ""),
            legal_basis=tuple(str(x) for x in raw.get("legal_basis") or ()),
        )
        return survey.with_legacy_weight(legacy) if legacy is not None else survey
    except SurveyDefinitionError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise SurveyDefinitionError(
            f"{source}: definisi survei tidak lengkap ({type(exc).__name__}: {exc}). "
            "Perbaikan: bandingkan dengan params/survey.yml bawaan."
        ) from None


def _questions(raw, by_key, source) -> tuple[str, ...]:
    if not raw:
        return ()
    keys = [str(k) for k in raw]
    if sorted(keys) != sorted(by_key):
        raise SurveyDefinitionError(
            f"{source}: 'questions' {keys} tidak sama dengan kunci unsur {sorted(by_key)}. "
            "Perbaikan: sebut kunci unsur tiap nomor pertanyaan kuesioner, masing-masing satu kali.")
    return tuple(keys)


@lru_cache(maxsize=8)
def _default_text() -> str:
    return resources.files("skmkit").joinpath("data/survey.yml").read_text(encoding="utf-8")


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


@lru_cache(maxsize=1)
def _default_survey() -> "SurveyDefinition":
    # Parsed once per process: the definition is immutable (frozen dataclass).
    return _as_survey(yaml.load(_default_text(), Loader=_YAML_LOADER), "bawaan")


def load_survey(path=None, *, legacy_weight=None) -> SurveyDefinition:
    """Load a survey definition; the default is PermenPANRB 14/2017.

    Parameters
    ----------
    path : str or Path or SurveyDefinition, optional
        A YAML file shaped like ``params/survey.yml``. ``None`` gives the default.
    legacy_weight : {0.111, 0.11}, optional
        Use an old spreadsheet weight instead of the exact 1/9.

    Examples
    --------
    >>> s = load_survey()
    >>> s.keys[:3], s.get("U4").labels[-1], round(s.weight(), 4)
    (['U1', 'U2', 'U3'], 'Gratis', 0.1111)
    """
    if isinstance(path, SurveyDefinition):
        survey = path
    elif path is None:
        survey = _default_survey()
    else:
        p = Path(path)
        if not p.exists():
            raise SurveyDefinitionError(f"{p}: berkas definisi survei tidak ada. Perbaikan: periksa path --survey.")
        try:
            raw = yaml.load(p.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
        except yaml.YAMLError as exc:
            raise SurveyDefinitionError(f"{p}: YAML tidak valid ({exc}).") from None
        if not isinstance(raw, dict):
            raise SurveyDefinitionError(f"{p}: isi harus berupa pemetaan YAML.")
        survey = _as_survey(raw, p.name)
    if legacy_weight is not None:
        survey = survey.with_legacy_weight(legacy_weight)
    return survey
