"""The report parameters: one schema from which every check, flag and path rule derives.

A kit notebook declares its parameters in its ``parameters`` cell; this module
says, once, what each one is: its type, whether it is required, whether it
holds a file path, how it is checked and its help text in Indonesian.

- :func:`check` checks and normalises values (one line per problem), for the
  notebook (:func:`skmkit.sections.prepare`), ``skmkit report``, ``units.yml``
  (the batch) and the banner and workbook commands alike;
- :func:`add_arguments` gives the CLI flags (``--period``, ``--head-name``...);
- :func:`resolve_paths` and :func:`relative_paths` handle path-valued keys;
- :func:`collect` takes the parameters from a notebook's namespace, so the
  notebook's second cell does not repeat them.

Adding a parameter: add a :class:`Param` here and use it in the notebook cell
that needs it.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .errors import ParameterError
from .survey import LEGACY_WEIGHTS

__all__ = ["Param", "SCHEMA", "PATH_KEYS", "AUTO_KEYS", "EXPORT_KEYS", "check", "add_arguments", "resolve_paths",
           "relative_paths", "collect", "cli_values", "required_of", "MAX_POPULATION", "FOLLOW_UP_STATUS",
           "load_entries"]

#: The statuses of a follow-up (tindak lanjut) item, as the method doc names them.
FOLLOW_UP_STATUS = ("selesai", "berjalan", "belum")

#: More service users than Indonesia has people is a typing mistake.
MAX_POPULATION = 300_000_000


@dataclass(frozen=True)
class Param:
    """One parameter of the kit notebooks.

    ``kind``: ``text``, ``file``, ``date``, ``count`` (a whole number >= 1), ``row`` (a spreadsheet row),
    ``weight`` (a legacy spreadsheet weight), ``docx`` (a Word document file) or ``entries`` (a list of
    mappings, or a YAML/CSV file holding it). ``auto``: filled in by the kit,
    never by a user. ``export``: read by an exporter after the notebook ran
    (the Word edition's reference document), never passed to the notebook.
    """

    name: str
    kind: str
    help: str
    required: bool = False
    auto: bool = False
    export: bool = False

    @property
    def path(self) -> bool:
        """Whether the value (or an entry's ``data``) is a file path."""
        return self.kind in ("file", "docx", "entries")

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


SCHEMA: dict[str, Param] = {p.name: p for p in [
    Param("data", "file", "berkas data survei (.csv/.xlsx/.ods): satu unit, atau gabungan dengan --unit",
          required=True),
    Param("unit", "text", "nama unit (nilai kolom unit pada data gabungan), mis. 'Dinas Sosial'"),
    Param("by", "text", "judul kolom unit pada data gabungan (bawaan: kolom unit yang dikenali)"),
    Param("sheet", "text", "nama sheet Excel/ODS (bawaan: sheet yang tampak dan berisi jawaban; bila beberapa, "
                           "wajib disebut)"),
    Param("header_row", "row", "nomor baris judul kolom seperti di spreadsheet (bawaan: dicari otomatis)"),
    Param("institution", "text", "instansi induk, mis. 'Pemerintah Kota Sukamaju'"),
    Param("period", "text", "nama periode survei, mis. 'Semester I 2026'"),
    Param("period_start", "date", "awal pengumpulan data YYYY-MM-DD (bawaan: tanggal paling awal di data)"),
    Param("period_end", "date", "akhir pengumpulan data YYYY-MM-DD (bawaan: tanggal paling akhir di data)"),
    Param("population", "count", "populasi N: jumlah pengguna layanan dalam periode (untuk sampel minimum)"),
    Param("survey", "file", "berkas definisi survei YAML (bawaan: PermenPANRB 14/2017)"),
    Param("legacy_weight", "weight", "bobot lama spreadsheet 0.111 atau 0.11 (bawaan: 1/jumlah unsur, tepat)"),
    Param("head_name", "text", "nama kepala unit (penanda tangan)"),
    Param("head_title", "text", "jabatan penanda tangan (bawaan: 'Kepala <unit>')"),
    Param("head_nip", "text", "NIP penanda tangan, mis. '19700101 199503 1 001' (kosong: baris NIP diisi tangan)"),
    Param("location", "text", "tempat penandatanganan, mis. 'Sukamaju'"),
    Param("logo", "file", "berkas logo instansi (PNG/JPG) untuk sampul dan banner"),
    Param("report_date", "date", "tanggal laporan YYYY-MM-DD untuk tanda tangan (bawaan: akhir periode)"),
    Param("previous", "entries", "periode sebelumnya: daftar {period, ikm} atau {period, data}, atau berkas "
                                 "YAML/CSV"),
    Param("rtl", "entries", "rencana tindak lanjut: daftar {unsur, program, waktu, pj}, atau berkas YAML/CSV"),
    Param("follow_up", "entries", "tindak lanjut RTL periode lalu: daftar {unsur, program, status "
                                  "(selesai/berjalan/belum), catatan}, atau berkas YAML/CSV"),
    Param("history", "entries", "periode terdahulu dari riwayat hasil (diisi batch)", auto=True),
    Param("units", "file", "daftar unit rekap (CSV yang ditulis batch)"),
    Param("annex_limit", "count", "batas responden yang nilainya dicetak satu per satu di lampiran laporan "
          "(bawaan: 400; di atasnya nilai itu ada di lembar Tabulasi buku kerja XLSX)"),
    Param("reference_doc", "docx", "dokumen referensi Word (.docx) kantor untuk edisi Word: kop surat, huruf, "
                                   "margin (bawaan: gaya kit)", export=True),
    Param("source_name", "text", "nama berkas sumber (diisi batch)", auto=True),
    Param("source_sha256", "text", "SHA-256 berkas sumber (diisi batch)", auto=True),
    Param("prepared", "file", "unit yang sudah disiapkan (diisi batch: dibaca sekali oleh batch)", auto=True),
]}

#: Keys whose value may be a file, resolved relative to the file that names them.
PATH_KEYS = tuple(name for name, p in SCHEMA.items() if p.path)
#: Keys the kit fills in itself.
AUTO_KEYS = frozenset(name for name, p in SCHEMA.items() if p.auto)
#: Keys an exporter reads (not the notebook): allowed wherever report parameters are, kept out of the kernel.
EXPORT_KEYS = frozenset(name for name, p in SCHEMA.items() if p.export)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _text(p: Param, value):
    if isinstance(value, bool) or isinstance(value, (dict, list, tuple, set)):
        raise ValueError(f"harus teks, bukan {_kind_of(value)}. Perbaikan: tulis satu nilai teks, "
                         f"mis. {p.name}: \"...\" (pakai tanda kutip)")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("harus teks")
    return str(value).strip()


def _kind_of(value) -> str:
    return {dict: "pemetaan", list: "daftar", tuple: "daftar", set: "himpunan", bool: "ya/tidak"}.get(
        type(value), type(value).__name__)


def _date(p: Param, value):
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):  # YAML reads an unquoted 2026-01-01 as a date: fine
        return value.isoformat()
    if hasattr(value, "date") and callable(value.date):  # pandas Timestamp
        return value.date().isoformat()
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        raise ValueError(_date_hint(text)) from None


def _date_hint(text: str) -> str:
    """Why a typed date is not one, naming the mistake made: a day the month lacks, a month past 12, day first."""
    import calendar
    import re

    from .fmt import MONTHS

    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if iso:
        y, m, d = (int(g) for g in iso.groups())
        if not 1 <= m <= 12:
            return f"bulan {m} tidak ada (1-12). Perbaikan: tulis YYYY-MM-DD, tahun dulu lalu bulan, mis. 2026-06-30"
        last = calendar.monthrange(y, m)[1]
        if not 1 <= d <= last:
            return (f"tanggal {d} tidak ada di {MONTHS[m - 1]} {y} ({last} hari). Perbaikan: periksa tanggalnya, "
                    f"mis. {y}-{m:02d}-{last:02d} untuk akhir {MONTHS[m - 1]}")
        return f"bulan dan hari ditulis dua angka. Perbaikan: tulis {y}-{m:02d}-{d:02d}"
    day_first = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
    if day_first:
        d, m, y = (int(g) for g in day_first.groups())
        if 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]:
            return f"tertulis hari dulu. Perbaikan: tulis tahun-bulan-hari, yaitu {y}-{m:02d}-{d:02d}"
    return "bukan tanggal. Perbaikan: tulis YYYY-MM-DD, mis. 2026-06-30"


def _count(p: Param, value):
    if isinstance(value, bool):
        raise ValueError("harus bilangan bulat, bukan ya/tidak. Perbaikan: tulis jumlahnya, mis. 4000")
    if isinstance(value, str):
        text = value.strip().replace("_", "")
        if text.isdigit():
            number = int(text)
        elif text.replace(".", "").isdigit() and all(len(g) == 3 for g in text.split(".")[1:]):
            raise ValueError(f"memakai titik ribuan. Perbaikan: tulis tanpa titik, mis. {text.replace('.', '')}")
        else:
            try:
                number = float(text)
            except ValueError:
                raise ValueError("harus bilangan bulat, mis. 4000") from None
    else:
        number = value
    try:
        as_float = float(number)
    except (TypeError, ValueError):
        raise ValueError("harus bilangan bulat, mis. 4000") from None
    if not math.isfinite(as_float) or as_float != int(as_float):
        hint = ""
        if math.isfinite(as_float) and 0 < as_float < 1000 and round(as_float * 1000) == as_float * 1000:
            hint = (f" Angka {str(value)} terbaca sebagai pecahan: untuk {int(round(as_float * 1000)):,} tulis "
                    f"{int(round(as_float * 1000))} tanpa titik ribuan").replace(",", ".")
        raise ValueError(f"harus bilangan bulat.{hint}".rstrip("."))
    number = int(as_float)
    if number < 1:
        raise ValueError("harus >= 1 (jumlah pengguna layanan dalam periode)")
    if number > MAX_POPULATION:
        raise ValueError(f"{number:,} melebihi jumlah penduduk Indonesia. Perbaikan: periksa angkanya".replace(",", "."))
    return number


def _row(p: Param, value):
    if isinstance(value, bool):
        raise ValueError("harus nomor baris, bukan ya/tidak")
    try:
        number = float(str(value).strip())
    except ValueError:
        raise ValueError("harus nomor baris, mis. 3") from None
    if not math.isfinite(number) or number != int(number) or number < 1:
        raise ValueError("harus nomor baris >= 1 seperti di spreadsheet (1 = baris pertama)")
    return int(number)


def _weight(p: Param, value):
    try:
        weight = float(str(value).strip().replace(",", "."))
    except ValueError:
        weight = None
    if weight not in LEGACY_WEIGHTS:
        raise ValueError("tidak dikenal. Perbaikan: 0.111, 0.11 atau kosong (bobot tepat)")
    return weight


def _file(p: Param, value):
    if isinstance(value, (dict, list, tuple, bool)):
        raise ValueError(f"harus path berkas, bukan {_kind_of(value)}")
    return str(value).strip()


def _docx(p: Param, value):
    path = _file(p, value)
    suffix = Path(path).suffix.lower()
    if suffix != ".docx":
        raise ValueError(f"harus dokumen Word .docx, bukan {suffix or 'berkas tanpa akhiran'}. Perbaikan: buka "
                         "dokumen kop di Word lalu simpan sebagai .docx (Dokumen Word)")
    return path


def _previous_item(i: int, item) -> list[str]:
    if not isinstance(item, dict) or "period" not in item or ("ikm" not in item and "data" not in item):
        return [f"butir ke-{i}: tulis {{period, ikm}} atau {{period, data}}"]
    if item.get("ikm") is not None:
        try:
            ikm = float(str(item["ikm"]).replace(",", "."))
        except ValueError:
            return [f"butir ke-{i}: ikm '{item['ikm']}' bukan angka. Perbaikan: nilai IKM 25-100, mis. 82.5"]
        if not 25 <= ikm <= 100:
            return [f"butir ke-{i}: ikm {item['ikm']} di luar 25-100 (IKM berskala 25-100)"]
    return []


def _follow_up_item(i: int, item) -> list[str]:
    if not isinstance(item, dict):
        return [f"butir ke-{i}: tulis {{unsur, program, status, catatan}}"]
    status = str(item.get("status") or "").strip().lower()
    if status and status not in FOLLOW_UP_STATUS:
        return [f"butir ke-{i}: status '{item['status']}' tidak dikenal. Perbaikan: tulis salah satu dari "
                f"{', '.join(FOLLOW_UP_STATUS)}, atau kosongkan bila belum dilaporkan"]
    return []


def _entries(p: Param, value):
    if isinstance(value, (str, Path)):
        return _file(p, value)
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise ValueError("harus daftar (list) atau path berkas YAML/CSV")
    problems = []
    for i, item in enumerate(value, 1):
        if p.name == "previous":
            problems += _previous_item(i, item)
        elif p.name == "follow_up":
            problems += _follow_up_item(i, item)
        elif not isinstance(item, dict):
            problems.append(f"butir ke-{i}: harus pasangan kunci: nilai, mis. {{unsur: U3, program: ...}}")
    if problems:
        raise ValueError("; ".join(problems))
    return list(value)


_CHECKS = {"text": _text, "date": _date, "count": _count, "row": _row, "weight": _weight, "file": _file,
           "docx": _docx, "entries": _entries}


def check(values: dict, *, where: str = "parameter", required=(), known=None) -> dict:
    """Check and normalise parameter values; return a new dict.

    Blank values become ``None``; dates become ``YYYY-MM-DD`` text (YAML dates
    are accepted); ``population`` an int; ``legacy_weight`` a float. Names
    outside the schema are passed through unchanged.

    Parameters
    ----------
    values : dict
        Name -> value.
    where : str
        Where the values come from, named at the start of every message
        (``"dinsos.yml"``, ``"sel parameter notebook"``).
    required : iterable of str, optional
        Names that must be filled (see :func:`required_of`).
    known : iterable of str, optional
        The allowed names (e.g. a notebook's declared parameters); others are refused.

    Raises
    ------
    ParameterError
        One line per problem: the parameter, its value and how to fix it.

    Examples
    --------
    >>> check({"population": "4000", "period_start": "2026-01-01"})["population"]
    4000
    >>> check({"population": 1.25})
    Traceback (most recent call last):
    ...
    skmkit.errors.ParameterError: parameter: kunci 'population' bernilai '1.25': harus bilangan bulat. Angka 1.25 terbaca sebagai pecahan: untuk 1.250 tulis 1250 tanpa titik ribuan.
    """
    problems = []
    if known is not None:
        known = list(known)
        for name in sorted(set(values) - set(known)):
            problems.append(f"{where}: parameter '{name}' tidak dikenal. Perbaikan: pakai salah satu dari "
                            f"{', '.join(known)}.")
    out = {}
    for name, value in values.items():
        p = SCHEMA.get(name)
        if p is None or _blank(value):
            out[name] = None if p is not None else value
            continue
        try:
            out[name] = _CHECKS[p.kind](p, value)
        except ValueError as exc:
            # a long value is cut in the middle: a path keeps its file name, a text its start
            shown = str(value) if len(str(value)) <= 60 else str(value)[:20] + "..." + str(value)[-37:]
            problems.append(f"{where}: kunci '{name}' bernilai '{shown}': {exc}.")
    for name in required:
        if _blank(values.get(name)):
            problems.append(f"{where}: parameter '{name}' wajib diisi ({SCHEMA[name].help}).")
    start, end = out.get("period_start"), out.get("period_end")
    # one date given without the other (a date given but mistyped was named above, not "missing" here)
    has_start, has_end = (not _blank(values.get(k)) for k in ("period_start", "period_end"))
    if has_start != has_end:
        given, missing = ("period_start", "period_end") if has_start else ("period_end", "period_start")
        problems.append(f"{where}: {given} diisi tanpa {missing}. Perbaikan: isi keduanya (YYYY-MM-DD), atau "
                        "kosongkan keduanya agar periode mengikuti tanggal jawaban.")
    if start and end and end < start:
        problems.append(f"{where}: period_end {end} sebelum period_start {start}. Perbaikan: tukar atau "
                        "perbaiki tanggalnya.")
    elif out.get("period"):  # "Semester I 2026" with July's dates: a units file copied, the name left
        from .period_names import name_date_problem

        problem = name_date_problem(out["period"], start, end)
        if problem:
            problems.append(f"{where}: {problem}")
    if problems:
        raise ParameterError("\n".join(problems))
    return out


def load_entries(value, name: str) -> list:
    """An ``entries`` parameter's list: given inline, or loaded from its YAML (a list) or CSV file.

    The one place a file-valued list parameter (``rtl``, ``previous``) is
    read, for the notebook, the CLI commands and the batch alike. A YAML file
    may hold the list itself or a mapping with the parameter's name as key.

    Raises
    ------
    ParameterError
        A missing file, or one that does not hold a list.
    """
    if value is None or isinstance(value, list):
        return list(value or [])
    if isinstance(value, (tuple, dict)):
        return list(value) if isinstance(value, tuple) else [value]
    path = Path(str(value))
    if not path.is_file():
        raise ParameterError(f"{name}: berkas '{value}' tidak ada. Perbaikan: beri daftar atau path berkas yang ada.")
    if path.suffix.lower() == ".csv":
        import pandas as pd

        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        loaded = [{k: v for k, v in row.items() if v != ""} for row in frame.to_dict("records")]
    else:
        import yaml

        from .yamltext import safe_load  # refuses alias bombs before building anything

        try:
            loaded = safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ParameterError(f"{path.name}: YAML tidak valid ({str(exc).splitlines()[0]}).") from None
        if isinstance(loaded, dict) and isinstance(loaded.get(name), list):
            loaded = loaded[name]
    if not isinstance(loaded, list):
        raise ParameterError(f"{path.name}: {name} harus berupa daftar (list) YAML.")
    return check({name: loaded}, where=path.name)[name] if loaded else []


def required_of(names) -> list[str]:
    """The schema's required parameters among ``names`` (a notebook's declared parameters)."""
    return [n for n in names if n in SCHEMA and SCHEMA[n].required]


def resolve_paths(values: dict, base, *, where: str = "parameter") -> dict:
    """Path-valued keys made absolute against ``base`` (the folder of the file naming them).

    Raises
    ------
    ParameterError
        When a named file does not exist or is a folder.
    """
    base = Path(base)
    problems = []

    def resolve(key, value):
        path = Path(str(value)).expanduser()
        path = path if path.is_absolute() else base / path
        if path.is_dir():
            problems.append(f"{where}: kunci '{key}': '{value}' adalah folder, bukan berkas. Perbaikan: sebut "
                            "berkasnya.")
        elif not path.is_file():
            problems.append(f"{where}: kunci '{key}': berkas '{value}' tidak ditemukan ({path}). Perbaikan: periksa "
                            "nama berkas; jalur relatif dihitung dari folder berkas parameternya.")
        return str(path.resolve())

    out = dict(values)
    for key in PATH_KEYS:
        value = out.get(key)
        if isinstance(value, (str, Path)) and str(value).strip():
            out[key] = resolve(key, value)
        elif key == "previous" and isinstance(value, list):
            out[key] = [dict(item, data=resolve(key, item["data"])) if isinstance(item, dict) and item.get("data")
                        else item for item in value]
    if problems:
        raise ParameterError("\n".join(problems))
    return out


def relative_paths(values: dict, workdir) -> dict:
    """Absolute path-valued keys rewritten relative to ``workdir`` (no absolute paths in outputs)."""
    workdir = Path(workdir).resolve()

    def rel(value):
        return os.path.relpath(Path(str(value)).resolve(), workdir) if os.path.isabs(str(value)) else str(value)

    out = dict(values)
    for key in PATH_KEYS:
        value = out.get(key)
        if isinstance(value, (str, Path)) and str(value).strip():
            out[key] = rel(value)
        elif key == "previous" and isinstance(value, list):
            out[key] = [dict(item, data=rel(item["data"])) if isinstance(item, dict) and item.get("data") else item
                        for item in value]
    return out


def collect(namespace: dict, names=None) -> dict:
    """The parameters from a notebook's namespace: ``s.prepare(**schema.collect(globals()))``.

    Only names of the schema (or ``names``) present in the namespace are taken.
    """
    names = SCHEMA if names is None else names
    return {name: namespace[name] for name in names if name in namespace}


def add_arguments(parser, names, *, required=()) -> None:
    """Add ``--name`` flags for schema parameters to an argparse parser (dest = the parameter's name).

    Values stay text: :func:`check` checks them in the library, so the CLI and
    a notebook give the same messages.
    """
    for name in names:
        p = SCHEMA[name]
        parser.add_argument(p.flag, dest=name, required=name in required, default=None, help=p.help)


def cli_values(args, names) -> dict:
    """The schema parameters of a parsed command line, by name (``None`` for a flag not given)."""
    return {name: getattr(args, name, None) for name in names}
