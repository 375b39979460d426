"""Personal data: columns dropped by header and by content, free text masked in
linear time, and nothing personal in any byte the kit writes.

The planted values below are written out by hand in every form the issue names
and more; the searches look for their digits with any grouping and for a marker
word ("rahasia") carried by every planted name, address and e-mail, so a value
that reaches an output in another spelling is still found.
"""
from __future__ import annotations

import io
import json
import re
import time
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from pypdf import PdfReader

from skmkit import cli, privacy

sre_constants, sre_parse = re._constants, re._parser  # the parser re itself uses (no deprecation warning)
from skmkit.ikm_json import ikm_report
from skmkit.errors import ParameterError
from skmkit.narrative import mask_personal as narrative_mask
from skmkit.privacy import mask_personal, personal_content, personal_header
from skmkit.synth import generate_responses
from skmkit.validate import validate_table

M = "[nomor disamarkan]"
E = "[surel disamarkan]"


# ------------------------------------------------------------ masking free text
@pytest.mark.parametrize("text, expected", [
    ("NIK saya 3201 2345 6789 0124", f"NIK saya {M}"),
    ("NIK 3201.2345.6789.0124.", f"NIK {M}."),
    ("3201234567890124", M),
    ("telp (021) 555-1234 ya", f"telp {M} ya"),
    ("kantor (0778) 462 123", f"kantor {M}"),
    ("WA +62 812-3456-7890", f"WA {M}"),
    ("hp 62-812-3456-7890", f"hp {M}"),
    ("0812345678901", M),
    ("nomor: 0812 3456 7890!", f"nomor: {M}!"),
    ("wa.me/6281234567890", f"wa.me/{M}"),
    ("budi.santoso@gmail.com", E),
    ("kirim ke budi @ gmail.com saja", f"kirim ke {E} saja"),
    ("budi[at]yahoo[dot]co[dot]id", E),
    ("budi (at) mail.id", E),
    ("budi at gmail dot com", E),
    ("ig @budi_santoso", "ig [akun disamarkan]"),
    ("akunnya (@budi.s88)", "akunnya ([akun disamarkan])"),
    ("follow @budisantoso", "follow [akun disamarkan]"),
    ("telp 555-1234", f"telp {M}"),              # a short landline after a phone word
    ("lahir 12-05-1985", f"lahir {M}"),          # a date of birth after "lahir"
    ("TTL: Batam, 12-05-1985", f"TTL: Batam, {M}"),
    ("lahir di Batam, 12 Mei 1985.", "lahir di Batam, [tanggal disamarkan]."),
    ("NIP 19850512 201001 1 001", f"NIP {M}"),
    ("rek 1234567890 BRI", f"rek {M} BRI"),
    ("0812\u20133456\u20137890", M),             # en dashes
    ("0 8 1 2 3 4 5 6 7 8 9 0", M),               # a digit at a time
    ("+62 (812) 3456-7890", M),
    ("instagram.com/budi.santoso", "[akun disamarkan]"),
])
def test_every_written_form_is_masked(text, expected):
    assert mask_personal(text) == expected


@pytest.mark.parametrize("text", [
    "Antrian 2 jam, loket 3 tutup jam 12.00.",
    "Tahun 2024 dan 2025 sama saja.",
    "Biaya Rp 150.000 terlalu mahal.",
    "Survei 12-01-2026 sudah baik.",
    "Datang 12 Mei 2026, selesai 14 Mei 2026.",
    "2026-01-15 10:23:11",  # a timestamp typed into a text column
    "15/01/2026 10.23",
    "Nilai 4,5 dari 5.",
    "kirim surat @ kantor",  # no domain: not an address
    "@petugas loket kurang ramah",  # a word after "@", not an account
])
def test_ordinary_text_is_left_alone(text):
    assert mask_personal(text) == text


def test_masking_lives_in_privacy_and_stays_importable_from_narrative():
    assert narrative_mask is privacy.mask_personal


def _unbounded_nested(pattern) -> list[str]:
    """Repeats with no upper bound whose body holds another repeat, unless possessive."""
    bad = []

    def walk(items, inside_unbounded):
        for op, av in items:
            if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
                lo, hi, body = av
                unbounded = hi == sre_constants.MAXREPEAT
                if inside_unbounded and unbounded:
                    bad.append(str(av)[:60])
                walk(body, inside_unbounded or unbounded)
            elif op == sre_constants.POSSESSIVE_REPEAT:
                walk(av[2], False)  # gives nothing back: no backtracking into it
            elif op == sre_constants.SUBPATTERN:
                walk(av[3], inside_unbounded)
            elif op == sre_constants.BRANCH:
                for branch in av[1]:
                    walk(branch, inside_unbounded)
            elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
                walk(av[1], inside_unbounded)

    walk(sre_parse.parse(pattern.pattern, pattern.flags), False)
    return bad


def test_masking_patterns_cannot_backtrack_quadratically():
    # the check itself catches the pattern that took 6.5 s on 40,000 characters
    assert _unbounded_nested(re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"))
    patterns = [privacy._EMAIL, privacy._EMAIL_WORDS, privacy._NUMBER, privacy._HANDLE, privacy._CONTEXT,
                privacy._PROFILE_LINK, privacy._DATE_TIME, privacy._BIRTH]
    for p in patterns:
        assert _unbounded_nested(p) == [], p.pattern


def test_a_ten_megabyte_cell_is_masked_quickly():
    # speed is measured in benchmarks/mask_speed.py; here a bound generous enough to be stable
    cell = ("Pelayanan baik, hubungi 0812-3456-7890 atau budi@contoh.id. " * 170_000)[:10_000_000]
    nasty = "a" * 5_000_000 + "@" + "1 " * 2_500_000
    for text in (cell, nasty):
        start = time.process_time()
        out = mask_personal(text)
        assert time.process_time() - start < 5.0
    assert "0812" not in out and "budi@" not in mask_personal(cell[:1000])


# ------------------------------------------------------------ columns
ISSUE_HEADERS = ["No. WhatsApp", "No. WA", "Nomor Handphone", "No. Telp/HP", "E-mail Address", "Alamat Email",
                 "Nomor KTP", "NIK (KTP)", "Tempat/Tgl Lahir", "Tempat, Tanggal Lahir", "Nama", "Nama Lengkap",
                 "Alamat", "NIP", "No. Rekening", "Email", "Nomor Induk Kependudukan", "Tanggal Lahir",
                 "Nomor Peserta BPJS", "Nomor Identitas (KTP/SIM)", "Nama Ibu Kandung", "TTL", "Tgl. Lahir",
                 "Alamat Domisili", "No. Handphone (WhatsApp)", "Email aktif", "No. KK", "NPWP"]


@pytest.mark.parametrize("header", ISSUE_HEADERS)
def test_personal_headers_are_recognised(header):
    assert personal_header(header)


@pytest.mark.parametrize("header", ["Nama Unit", "Nama Layanan", "Unit Layanan", "Jenis Layanan", "Tanggal",
                                    "Timestamp", "Usia", "Umur", "Pekerjaan", "Saran/Masukan", "Periode",
                                    "Jenis Kelamin", "Pendidikan Terakhir", "Alamat Unit"])
def test_ordinary_headers_are_not_personal(header):
    assert not personal_header(header)


@pytest.mark.parametrize("values, kind", [
    (["0812-3456-7890", "+62 813 1111 2222", "(021) 555-1234", None, "-"], "nomor telepon"),
    ([81234567890, 6281311112222, 85611112222], "nomor telepon"),  # Excel dropped the leading 0
    (["budi@x.id", "ani @ y.co.id", "c.d@e.com"], "alamat surel"),
    (["3201 2345 6789 0124", "3201.2345.6789.0125", "3201234567890126"], "nomor identitas (NIK/NIP/rekening)"),
    ([3.201234567890124e15, 3.201234567890125e15], "nomor identitas (NIK/NIP/rekening)"),
    (["WA: 0812-1111-2222", "Telp. 0813 2222 3333 / 0856 1111 2222", "0857 1234 5678"], "nomor telepon"),
    (["Email: a@b.com", "a@b.co.id", "x@y.id"], "alamat surel"),
    (["May 12, 1985", "March 3, 1990"], "tanggal lahir"),
    (["Batam, 12 Mei 1985", "Jakarta, 01-02-1990", "Bandung / 3 Januari 2001"], "tanggal lahir"),
    (["12/05/1985", "01-02-1990", "30-11-1972"], "tanggal lahir"),
])
def test_personal_values_are_recognised_whatever_the_header(values, kind):
    assert personal_content(pd.Series(values)) == kind


@pytest.mark.parametrize("values", [
    ["2026-01-15 10:23:11", "2026-02-01 08:00:00", "2026-06-30 16:00:00"],  # answer timestamps
    ["15/01/2026", "01/02/2026"],
    ["2026/01/15 10:23:11 GMT+7", "2026/02/01 08:00:00 GMT+7"],  # a form's timestamp with its zone
    ["2026-01-15T10:23:11.120Z", "2026-03-01T08:00:00+07:00"],
    [35, 41, 22, 67],  # ages
    ["Dinas Sosial", "Dinas Perhubungan"],
    ["Pelayanan baik, hubungi 0812-3456-7890", "Antrian lama", "Petugas ramah"],  # saran: masked, not dropped
    [1, 2, 3, 4],
])
def test_answer_dates_ages_and_text_are_not_personal(values):
    assert personal_content(pd.Series(values)) is None


def test_dates_of_birth_next_to_answer_dates_are_told_apart():
    stamps = pd.to_datetime(["2026-01-15", "2026-03-01", "2026-05-20"])
    births = pd.to_datetime(["2010-01-01", "2011-03-05", "2010-07-07"])  # teenagers: median after 2005
    raw = _answers(3).assign(Tanggal=stamps, **{"Kolom Y": births})
    v = validate_table(raw, source="t.csv")
    assert "tanggal" in v.data.columns and "Kolom Y" not in v.data.columns
    assert "Kolom Y" in v.data.attrs["skmkit"]["dropped_personal"]


def _answers(n: int) -> pd.DataFrame:
    return pd.DataFrame({f"U{k}": [3] * n for k in range(1, 10)})


def test_a_column_dropped_for_its_content_is_named_once_and_the_input_is_untouched():
    raw = _answers(3).assign(Keterangan=["0812-3456-7890", "0813-1111-2222", "0856-3333-4444"],
                             Catatan=["mohon dihubungi lewat telp 0812-9999-8888", "baik",
                                      "berkas atas NIK 3201 2345 6789 0124 belum selesai"],
                             Pekerjaan=["PNS", "Guru les, wa 0812 1111 2222", "Swasta"],
                             Unit=["UPT 2", "UPT 2", "UPT 2"])
    before = raw.copy()
    v = validate_table(raw, source="data.csv")
    [p] = [p for p in v.problems if p.code == "personal-content"]
    assert (p.column, p.severity) == ("Keterangan", "warning") and "nomor telepon" in p.message
    assert "Keterangan" not in v.data.columns
    assert v.data["Catatan"].tolist() == [f"mohon dihubungi lewat telp {M}", "baik",
                                          f"berkas atas NIK {M} belum selesai"]
    assert v.data["pekerjaan"].tolist() == ["PNS", f"Guru les, wa {M}", "Swasta"]  # typed-in "lainnya"
    assert v.data["unit"].tolist() == ["UPT 2"] * 3  # unit names are chosen by name: never masked
    pd.testing.assert_frame_equal(raw, before)


def test_an_unknown_answer_holding_a_phone_number_is_not_echoed():
    raw = _answers(2)
    raw["U3"] = ["3", "0812-3456-7890"]
    v = validate_table(raw, source="d.csv")
    assert "3456" not in v.summary() and M in v.summary()


# ------------------------------------------------------------ every output byte
UNITS = [("alpha", "Dinas Alpha", ["Layanan A"], 12, 100, 0.4),
         ("beta", "Dinas Beta", ["Layanan B"], 10, 200, 0.0)]


def _planted(n: int):
    """Columns of personal values (one distinct value per row) and what to search for."""
    rows = range(n)
    cols = {
        "No. WhatsApp": [f"0812-{3400 + i:04d}-{7000 + i:04d}" for i in rows],
        "No. WA": [f"+62 813 {4400 + i:04d} {8800 + i:04d}" for i in rows],
        "Nomor Handphone": [f"62-821-{5500 + i:04d}-{6600 + i:04d}" for i in rows],
        "No. Telp/HP": [f"(021) 759-{1000 + i:04d}" for i in rows],
        "E-mail Address": [f"warga.rahasia{i}@gmail.com" for i in rows],
        "Alamat Email": [f"rahasia{i} @ yahoo.co.id" for i in rows],
        "Nomor KTP": [f"3201 2345 6789 {1000 + i:04d}" for i in rows],
        "NIK (KTP)": [f"3201.2345.6790.{1000 + i:04d}" for i in rows],
        "Tempat/Tgl Lahir": [f"Rahasiapura, {1 + i % 28} Mei {1960 + i % 30}" for i in rows],
        "Tempat, Tanggal Lahir": [f"Rahasiajaya, {1 + i % 28:02d}-07-{1961 + i % 30}" for i in rows],
        "Nama Lengkap": [f"Siti Rahasiawati {i}" for i in rows],
        "Alamat": [f"Jl. Rahasia Kencana No. {i}, RT 03/RW 05" for i in rows],
        "NIP": [f"1985{i:04d} 201001 1 0{i:02d}" for i in rows],
        "No. Rekening": [f"7770{i:06d}" for i in rows],
        # innocuous headers: recognised by content alone
        "Keterangan": [f"0857-{2200 + i:04d}-{3300 + i:04d}" for i in rows],
        "Info": [f"rahasia.info{i}@mail.id" for i in rows],
        "Kode": [f"3578 1234 5678 {2000 + i:04d}" for i in rows],
        "Data Lain": [f"{1 + i % 28:02d}/08/{1962 + i % 30}" for i in rows],
        "Kolom 7": [8_991_000_000 + i for i in rows],  # a phone number stored as a number
    }
    saran_forms = ["hubungi saya 0812 {a} {b}", "NIK saya {nik}", "telp ({area}) 462 {c}", "wa +62 812-{a}-{b}",
                   "surel rahasia.saran{i} @ gmail.com", "rahasia{i}[at]yahoo[dot]co[dot]id",
                   "NIK {nikd}", "62-812-{a}-{b} ya", "ig @rahasia_akun{i}", "tgl lahir {dob}",
                   "instagram.com/rahasia.profil{i}", "TTL: Medan, {dd}-07-1983"]
    saran = [saran_forms[i % len(saran_forms)].format(
        i=i, a=f"{6100 + i:04d}", b=f"{6200 + i:04d}", nik=f"3201 2345 6791 {1000 + i:04d}",
        nikd=f"3201.2345.6792.{1000 + i:04d}", area="0778", c=f"{100 + i:03d}",
        dob=f"{1 + i % 28} Mei {1970 + i % 10}", dd=f"{1 + i % 28:02d}") + ". Antrian lama."
        for i in rows]
    cols["Catatan Petugas"] = [f"pemohon minta dihubungi 0813-{7100 + i:04d}-{7200 + i:04d}" for i in rows]
    # every planted value, and every number written inside the free text
    numbers = [str(v) for values in cols.values() for v in values]
    numbers += [m for text in saran + cols["Catatan Petugas"] for m in re.findall(r"\d[\d\s().\-/]*\d", text)]
    return cols, saran, numbers


def _digit_patterns(values) -> list[re.Pattern]:
    """Each value's digits (the last nine at least: area code or country code may be dropped) with any grouping."""
    pats = set()
    for v in values:
        digits = re.sub(r"\D", "", v)
        if len(digits) < 8:
            continue
        tail = digits[-9:]  # "+62 812..." may reach an output as "0812..." or "812..."
        pats.add(r"\D{0,2}".join(tail))
    return [re.compile(p) for p in sorted(pats)]


def _texts_of(path: Path) -> str:
    """Every readable text of a file the kit wrote."""
    data = path.read_bytes()
    if path.suffix == ".pdf":
        reader = PdfReader(io.BytesIO(data))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
        return text + "\n" + json.dumps(reader.metadata or {}, default=str) + data.decode("latin-1")
    if path.suffix in (".xlsx", ".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    if path.suffix == ".parquet":
        table = pq.read_table(path)
        meta = json.dumps({k.decode(): v.decode("utf-8", "replace") for k, v in (table.schema.metadata or {}).items()})
        return table.to_pandas().to_csv() + meta + data.decode("latin-1")
    return data.decode("utf-8", "replace")


def _leaks(root: Path, patterns, words) -> list[str]:
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        text = _texts_of(path)
        low = text.lower()
        found += [f"{path.relative_to(root)}: '{w}'" for w in words if w in low]
        found += [f"{path.relative_to(root)}: {p.pattern}" for p in patterns if p.search(text)]
    return found


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    root = tmp_path_factory.mktemp("pribadi")
    frame = generate_responses(UNITS, seed=3, personal=True)
    cols, saran, numbers = _planted(len(frame))
    for name, values in cols.items():
        frame[name] = values
    frame["Saran/Masukan"] = saran
    numbers += [str(v) for v in frame["No HP"]]  # the generator's own phone column
    csv = root / "kota.csv"
    frame.to_csv(csv, index=False)
    xlsx = root / "kota.xlsx"
    excel = frame.copy()
    excel["Data Lain"] = pd.to_datetime(excel["Data Lain"], dayfirst=True)  # a real Excel date column
    excel.to_excel(xlsx, index=False)
    return {"root": root, "csv": csv, "xlsx": xlsx, "patterns": _digit_patterns(numbers),
            "words": ["rahasia", "mei 196", "mei 197", "mei 198"],
            "columns": [c for c in cols if c != "Catatan Petugas"]}  # free text: kept, masked


def test_the_planted_search_finds_what_it_planted(planted):
    """The search is not blind: it finds every planted form in the input files themselves."""
    text = planted["csv"].read_text(encoding="utf-8")
    assert all(p.search(text) for p in planted["patterns"])
    assert "rahasia" in text.lower()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_personal_columns_are_dropped_and_not_groupable(planted, kind, capsys):
    path = planted[kind]
    result = ikm_report(path, by="Unit Layanan")
    blob = json.dumps(result, default=str)
    assert not [p.pattern for p in planted["patterns"] if p.search(blob)] and "rahasia" not in blob.lower()
    for column in ("No. WA", "Keterangan", "Tempat/Tgl Lahir", "Data Lain"):
        with pytest.raises(ParameterError, match="data pribadi|tidak ada"):
            ikm_report(path, by=column)
        assert cli.main(["ikm", str(path), "--by", column]) == 1
    out = planted["root"] / f"batch-by-{kind}"
    assert cli.main(["batch", str(path), "--by", "No. WA", "--out", str(out)]) == 1
    assert "data pribadi" in capsys.readouterr().err
    assert not (out / "laporan").exists() or not any((out / "laporan").iterdir())


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_nothing_personal_in_any_output_byte(planted, kind, capsys):
    src = planted[kind]
    out = planted["root"] / f"out-{kind}"
    unit = ["--unit", "Dinas Alpha", "--by", "Unit Layanan"]
    assert cli.main(["validate", str(src)]) in (0, 1)
    assert cli.main(["ikm", str(src), "--by", "Unit Layanan", "--json"]) == 0
    assert cli.main(["report", str(src), *unit, "--out", str(out / "report"), "--format", "html,pdf"]) == 0
    assert cli.main(["banner", str(src), *unit, "--period", "Semester I 2026", "--out", str(out / "banner")]) == 0
    assert cli.main(["workbook", str(src), *unit, "--out", str(out / "workbook")]) == 0
    assert cli.main(["batch", str(src), "--by", "Unit Layanan", "--out", str(out / "batch"),
                     "--format", "html,pdf,banner,xlsx", "--jobs", "1"]) == 0
    captured = capsys.readouterr()
    (out / "terminal.txt").write_text(captured.out + captured.err, encoding="utf-8")  # what the user saw
    written = {p.suffix for p in out.rglob("*") if p.is_file()}
    assert {".html", ".pdf", ".ipynb", ".png", ".xlsx", ".parquet", ".log", ".json", ".csv"} <= written
    assert _leaks(out, planted["patterns"], planted["words"]) == []
    # the saran did reach the outputs, masked: the search above looked at text that was there
    assert "disamarkan" in _texts_of(next((out / "workbook").glob("*.xlsx")))
    assert "disamarkan" in _texts_of(next((out / "report").glob("*.html")))
    # the batch cache holds the masked saran, not the planted one
    from skmkit.history import HISTORY_NAME  # the results history holds results, no answers

    caches = [pq.read_table(p).to_pandas() for p in (out / "batch" / "_batch" / "data").glob("*.parquet")
              if not p.name.startswith(("_rekap", HISTORY_NAME))]
    saran = pd.concat([c["saran"] for c in caches]).dropna().tolist()
    assert saran and all("disamarkan" in s for s in saran if any(ch.isdigit() for ch in s) or "@" in s)


def test_the_banner_is_drawn_from_data_without_personal_columns(planted):
    from skmkit.select import load_unit
    from skmkit.banner import banner_figure

    data, _ = load_unit(planted["csv"], unit="Dinas Alpha", by="Unit Layanan")
    assert not set(planted["columns"]) & set(data.columns)
    assert all("rahasia" not in str(s).lower() for s in data["saran"])
    assert all(M in s for s in data["Catatan Petugas"])
    fig = banner_figure(data, unit="Dinas Alpha", period="Semester I 2026")
    texts = " ".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))
    assert not [p.pattern for p in planted["patterns"] if p.search(texts)] and "rahasia" not in texts.lower()


# -- personal data typed where a name belongs (issue 20) -------------------------------------------------
def test_personal_names_flags_contacts_not_unit_names():
    from skmkit.privacy import personal_names

    values = pd.Series(["Dinas Sosial", "Bu Siti 0812-7777-3141", "siti@contoh.id", "NIK 3201234567890124",
                        "UPT Puskesmas 2", None, "Kecamatan Barat", "Loket 3", "@budi_77"])
    assert personal_names(values).tolist() == [False, True, True, True, False, False, False, False, True]


@pytest.mark.parametrize("header, personal", [("Responden", True), ("RESPONDEN ", True), ("Pemohon", True),
                                              ("Jumlah Responden", False), ("Kategori Responden", False)])
def test_a_lone_respondent_header_is_personal(header, personal):
    from skmkit.privacy import personal_header

    assert personal_header(header) is personal
