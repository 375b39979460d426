"""The command line: one verb calls one library function with the same keyword names.

No computation lives here. Every message is Indonesian; only ``SkmError`` is
caught (one line per problem, exit 1); anything else keeps its traceback.
"""
from __future__ import annotations

import argparse
import json
import sys

from . import __version__
from . import schema
from .errors import SkmError

__all__ = ["main", "build_parser"]


def _examples(text: str) -> str:
    return "Contoh:\n" + "\n".join("  " + line for line in text.strip().splitlines())


def _parser(sub, name, help, examples, description=None):
    return sub.add_parser(name, help=help, description=description or help,
                          epilog=_examples(examples), formatter_class=argparse.RawDescriptionHelpFormatter)


# -- ikm -----------------------------------------------------------------------
#: The schema parameters ikm takes (checked by the library, as for a report).
IKM_FLAGS = ["survey", "sheet", "header_row", "population", "legacy_weight"]


def _add_ikm(sub):
    p = _parser(sub, "ikm", "Hitung NRR per unsur dan IKM (tabel atau JSON).", """
skmkit ikm data.csv
skmkit ikm data.xlsx --by "Unit Layanan"
skmkit ikm data.csv --by "Jenis Layanan" --json
skmkit ikm data.csv --legacy-weight 0.111
skmkit ikm rekap_kantor.xlsx --sheet "Data" --header-row 4""")
    p.add_argument("file", help="berkas jawaban survei (.csv atau .xlsx)")
    p.add_argument("--by", help="kelompokkan menurut kolom ini (judul kolom seperti di berkas), atau triwulan, "
                                "semester, bulan dari tanggal jawaban")
    schema.add_arguments(p, IKM_FLAGS)
    p.add_argument("--ci", choices=["analytic", "bootstrap", "none"], default="analytic",
                   help="metode selang kepercayaan 95%% (bawaan: analytic)")
    p.add_argument("--json", action="store_true", help="keluarkan JSON ke stdout")
    p.set_defaults(func=_run_ikm)


def _run_ikm(a):
    from .ikm_json import ikm_report

    result = ikm_report(a.file, by=a.by, ci=None if a.ci == "none" else a.ci, **schema.cli_values(a, IKM_FLAGS))
    if a.json:
        # one write of one string: json.dump would write piece by piece through the pure-Python encoder
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=1, allow_nan=False) + "\n")
    else:
        from .terminal import ikm_text

        print(ikm_text(result))
    return 0


# -- validate --------------------------------------------------------------------
#: The schema parameters validate takes.
VALIDATE_FLAGS = ["survey", "sheet", "header_row", "period_start", "period_end"]


def _add_validate(sub):
    p = _parser(sub, "validate", "Periksa berkas jawaban survei; keluar 1 bila ada galat.", """
skmkit validate data.csv
skmkit validate data.xlsx --sheet "Form Responses 1"
skmkit validate data.csv --period-start 2026-01-01 --period-end 2026-06-30""")
    p.add_argument("file", help="berkas jawaban survei (.csv atau .xlsx)")
    schema.add_arguments(p, VALIDATE_FLAGS)
    p.add_argument("--max-lines", type=int, default=20, help="baris masalah yang ditampilkan (bawaan 20)")
    p.set_defaults(func=_run_validate)


def _run_validate(a):
    from .errors import format_problems
    from .validate import validate_file

    v = validate_file(a.file, **schema.cli_values(a, VALIDATE_FLAGS))
    problems = v.errors + v.warnings
    if problems:
        print(format_problems(problems, limit=a.max_lines))
    n = 0 if v.data is None else len(v.data)
    if v.ok:
        print(f"OK: {v.source}: {n} baris terbaca, {len(v.warnings)} peringatan, tidak ada galat.")
        return 0
    print(f"GAGAL: {v.source}: {len(v.errors)} galat, {len(v.warnings)} peringatan.", file=sys.stderr)
    return 1


# -- sample-size -----------------------------------------------------------------
def _add_sample_size(sub):
    p = _parser(sub, "sample-size", "Jumlah sampel minimum (Krejcie-Morgan; Slovin bila diminta).", """
skmkit sample-size 1000
skmkit sample-size 1000 --respondents 250
skmkit sample-size 5000 --method slovin""")
    p.add_argument("population", type=int, help="populasi N: jumlah pengguna layanan dalam periode")
    p.add_argument("--respondents", type=int, help="jumlah responden yang diperoleh (untuk kecukupan sampel)")
    p.add_argument("--method", choices=["krejcie-morgan", "slovin"], default="krejcie-morgan")
    p.set_defaults(func=_run_sample_size)


def _run_sample_size(a):
    from .fmt import number, percent
    from .sampling import krejcie_morgan, sample_adequacy, slovin

    if a.population < 1:
        raise SkmError(f"populasi harus >= 1, bukan {a.population}. Perbaikan: isi jumlah pengguna layanan.")
    km, sv = krejcie_morgan(a.population), slovin(a.population)
    print(f"Populasi (N): {number(a.population)}")
    print(f"Sampel minimum Krejcie-Morgan: {number(km)}")
    print(f"Sampel minimum Slovin (e = 5%): {number(sv)}")
    if a.respondents is not None:
        s = sample_adequacy(a.respondents, a.population, method=a.method)
        print(s.message + f" Batas galat: {percent(s.margin_of_error)}.")
        return 0 if s.adequate else 1
    return 0


# -- demo-data -------------------------------------------------------------------
def _add_demo_data(sub):
    p = _parser(sub, "demo-data", "Tulis data contoh sintetis (12 unit Kota Sukamaju).", """
skmkit demo-data --out data/
skmkit demo-data --out data/ --seed 7""")
    p.add_argument("--out", required=True, help="folder tujuan")
    p.add_argument("--seed", type=int, default=14, help="benih acak (bawaan 14: data contoh bawaan)")
    p.set_defaults(func=_run_demo_data)


def _run_demo_data(a):
    from .synth import write_demo_data

    for path in write_demo_data(a.out, seed=a.seed):
        print(f"ditulis: {path}")
    return 0


# -- report ----------------------------------------------------------------------
#: Report parameters offered as flags (data, unit and by have their own; the rest from the schema).
REPORT_FLAGS = [n for n, p in schema.SCHEMA.items() if not p.auto and n not in ("data", "unit", "by", "units")]


def _add_report(sub):
    p = _parser(sub, "report", "Laporan hasil SKM satu unit (notebook dijalankan, HTML dan PDF A4).", """
skmkit report data.csv --out laporan/
skmkit report kota.csv --unit "Dinas Sosial" --params dinsos.yml --out laporan/
skmkit report kota.csv --unit "Dinas Sosial" --period "Semester I 2026" --population 4000 --out laporan/
skmkit report kota.csv --unit "Dinas Sosial" --by "Unit Layanan" --out laporan/ --format html
skmkit report kota.csv --unit "Dinas Sosial" --notebook laporan_saya.ipynb --params target.yml --out laporan/
skmkit report kota.csv --unit "Dinas Sosial" --out laporan/ --format docx --reference-doc kop.docx""")
    p.add_argument("data", help="berkas jawaban survei (.csv/.xlsx): satu unit, atau gabungan dengan --unit")
    p.add_argument("--unit", help="nama unit pada data gabungan (huruf besar/kecil dan spasi tidak berpengaruh)")
    p.add_argument("--by", help="judul kolom unit (bawaan: kolom unit yang dikenali, mis. 'Unit Layanan')")
    p.add_argument("--params", help="berkas YAML parameter laporan (period, population, institution, "
                                    "head_name, previous, rtl, ...); flag di bawah menimpanya")
    schema.add_arguments(p, REPORT_FLAGS)
    p.add_argument("--out", required=True, help="folder hasil: <unit>.html, <unit>.pdf, <unit>.docx dan <unit>.ipynb "
                                                "(juga <unit>.xlsx bila responden melebihi annex_limit)")
    p.add_argument("--format", default="html,pdf", help="html, pdf, docx (Word), dipisah koma (bawaan: html,pdf)")
    p.add_argument("--engine", default="weasyprint", choices=["weasyprint", "chromium"],
                   help="mesin PDF (bawaan: weasyprint)")
    p.add_argument("--notebook", help="notebook laporan yang Anda sunting (bawaan laporan_skm.ipynb kit); "
                                      "parameter barunya boleh diisi lewat --params")
    p.set_defaults(func=_run_report)


def _run_report(a):
    from .report import render_report

    formats = tuple(f.strip() for f in a.format.split(",") if f.strip())
    result = render_report(a.data, unit=a.unit, by=a.by, params=a.params, out=a.out, formats=formats,
                           engine=a.engine, notebook=a.notebook,
                           **schema.cli_values(a, REPORT_FLAGS))
    for path in [result.notebook, *result.outputs.values()]:
        print(f"ditulis: {path}")
    for note in result.notes:
        print(f"catatan: {note}")
    return 0


# -- batch -----------------------------------------------------------------------
def _add_batch(sub):
    p = _parser(sub, "batch", "Laporan semua unit sekaligus: paralel, tahan galat, inkremental, plus rekap.", """
skmkit batch --params params/ --out outputs
skmkit batch data_kota.csv --by "Unit Layanan" --out outputs --format html
skmkit batch --params params/units.yml --out outputs --jobs 4 --force
skmkit batch --params params/ --out outputs --format html,pdf,docx --reference-doc kop.docx
skmkit batch --params params/ --out outputs --executor dask --scheduler tcp://10.0.0.5:8786""")
    p.add_argument("data", nargs="?", help="berkas data gabungan (dengan --by: satu laporan per nilai kolom)")
    p.add_argument("--params", help="folder berisi units.yml/units.csv, atau berkasnya (bawaan params/)")
    p.add_argument("--by", help="kolom unit pada DATA, judul kolom seperti di berkas")
    p.add_argument("--out", default="outputs", help="folder hasil (bawaan outputs)")
    p.add_argument("--format", dest="formats", help="html,pdf (bawaan dari units.yml, atau html,pdf); juga docx, banner, xlsx")
    p.add_argument("--jobs", type=int, help="jumlah proses paralel paling banyak (bawaan: jumlah core; tidak "
                                            "lebih dari unit yang dijalankan)")
    p.add_argument("--force", action="store_true", help="buat ulang unit yang masukannya tidak berubah")
    p.add_argument("--executor", choices=["local", "dask"], default="local", help="tempat unit dijalankan")
    p.add_argument("--scheduler", help="alamat scheduler Dask (dengan --executor dask)")
    p.add_argument("--fresh-kernels", action="store_true", help="kernel baru tiap unit (isolasi; lebih lambat)")
    p.add_argument("--timeout", type=float, default=600, help="batas detik per unit (bawaan 600)")
    p.add_argument("--recycle", type=int, default=25, help="kernel hangat diganti tiap N unit (bawaan 25)")
    p.add_argument("--no-recap", dest="recap", action="store_false", help="jangan buat rekap_skm")
    p.add_argument("--notebook", help="notebook laporan lain (bawaan laporan_skm.ipynb)")
    p.add_argument("--reference-doc", help="dokumen referensi Word (.docx) kantor untuk edisi Word semua unit dan "
                                           "rekap: kop surat, huruf, margin (menimpa reference_doc di units.yml)")
    p.set_defaults(func=_run_batch)


def _run_batch(a):
    from .batch import batch

    result = batch(a.params, data=a.data, by=a.by, out=a.out, formats=a.formats, jobs=a.jobs, force=a.force,
                   executor=a.executor, scheduler=a.scheduler, fresh_kernels=a.fresh_kernels,
                   timeout=a.timeout, recycle=a.recycle, recap=a.recap, notebook=a.notebook,
                   reference_doc=a.reference_doc)
    return result.exit_code


# -- pelatihan -------------------------------------------------------------------
def _add_pelatihan(sub):
    p = _parser(sub, "pelatihan", "Tulis notebook Bimtek: edisi peserta (tanpa solusi) dan edisi pelatih.", """
skmkit pelatihan --out bimtek/
skmkit pelatihan --out bimtek/ --force
cd bimtek/peserta && jupyter lab""")
    p.add_argument("--out", required=True, help="folder tujuan: OUT/peserta/ dan OUT/pelatih/")
    p.add_argument("--force", action="store_true", help="timpa notebook yang sudah ada dan berbeda isinya")
    p.set_defaults(func=_run_pelatihan)


def _run_pelatihan(a):
    from .training import make_editions

    for kind, paths in make_editions(a.out, force=a.force).items():
        print(f"edisi {kind}: {len(paths)} notebook di {paths[0].parent}")
    return 0


# -- demo ------------------------------------------------------------------------
def _add_demo(sub):
    p = _parser(sub, "demo", "Jalankan pekerjaan utama pada data contoh bawaan.", """
skmkit demo --out outputs""")
    p.add_argument("--out", default="outputs", help="folder hasil (bawaan outputs)")
    p.add_argument("--jobs", type=int, default=None, help="jumlah proses paralel")
    p.set_defaults(func=_run_demo)


def _run_demo(a):
    from .batch import demo

    return demo(out=a.out, jobs=a.jobs)


# -- banner ----------------------------------------------------------------------
#: The banner and the workbook take every report parameter (but the Word exporter's): they render the same
#: prepared unit.
BANNER_FLAGS = WORKBOOK_FLAGS = [n for n in REPORT_FLAGS if not schema.SCHEMA[n].export]


def _add_banner(sub):
    p = _parser(sub, "banner", "Banner publikasi IKM satu unit (PNG dan PDF A4).", """
skmkit banner data.csv --unit "Dinas Sosial" --by "Unit Layanan" --period "Semester I 2026" --out banner/
skmkit banner dinsos.csv --period "Semester I 2026" --head-name "Dra. Siti Rahmawati" \\
    --head-title "Kepala Dinas Sosial" --logo logo.png --out banner/ --format png""")
    p.add_argument("data", help="berkas jawaban survei (.csv atau .xlsx)")
    p.add_argument("--unit", help="nama unit (nilai di kolom --by) bila berkas memuat banyak unit")
    p.add_argument("--by", help="judul kolom unit (bawaan: kolom unit yang dikenali)")
    schema.add_arguments(p, BANNER_FLAGS, required=("period",))
    p.add_argument("--service", help="nama layanan (bawaan: jenis layanan di data, bila paling banyak 4)")
    p.add_argument("--out", required=True, help="folder hasil: <unit>-banner.png dan .pdf")
    p.add_argument("--format", default="png,pdf", help="png, pdf atau png,pdf (bawaan)")
    p.set_defaults(func=_run_banner)


def _run_banner(a):
    from .banner import write_banner

    written = write_banner(a.data, unit=a.unit, by=a.by, out=a.out, format=a.format, service=a.service,
                           **schema.cli_values(a, BANNER_FLAGS))
    for path in written.values():
        print(f"ditulis: {path}")
    return 0


# -- workbook --------------------------------------------------------------------


def _add_workbook(sub):
    p = _parser(sub, "workbook", "Workbook Excel per unit dengan rumus hidup (untuk auditor/PEKPPP).", """
skmkit workbook data.csv --unit "Dinas Sosial" --by "Unit Layanan" --out xlsx/
skmkit workbook dinsos.csv --period "Semester I 2026" --out xlsx/""")
    p.add_argument("data", help="berkas jawaban survei (.csv atau .xlsx)")
    p.add_argument("--unit", help="nama unit (nilai di kolom --by) bila berkas memuat banyak unit")
    p.add_argument("--by", help="judul kolom unit (bawaan: kolom unit yang dikenali)")
    schema.add_arguments(p, WORKBOOK_FLAGS)
    p.add_argument("--out", required=True, help="folder hasil: <unit>.xlsx")
    p.set_defaults(func=_run_workbook)


def _run_workbook(a):
    from .workbook import write_workbook

    path = write_workbook(a.data, unit=a.unit, by=a.by, out=a.out, **schema.cli_values(a, WORKBOOK_FLAGS))
    print(f"ditulis: {path}")
    return 0


# -- kuesioner -------------------------------------------------------------------
def _add_kuesioner(sub):
    p = _parser(sub, "kuesioner", "Instrumen survei dari definisi survei: kuesioner cetak, XLSForm (KoboToolbox/ODK), "
                "skrip Google Formulir, lembar isian Excel dan rencana sampel.", """
skmkit kuesioner --out instrumen/
skmkit kuesioner --units params/units.yml --out instrumen/ --non-return 0.2
skmkit kuesioner --units params/ --layanan "Akta kelahiran" --layanan "KTP-el" --form-url https://ee.kobotoolbox.org/x/abcd --out instrumen/
skmkit kuesioner --survey survei_unit.yml --out instrumen/ --format xlsform,xlsx""")
    p.add_argument("--out", required=True, help="folder hasil")
    p.add_argument("--survey", help="definisi survei YAML (bawaan: PermenPANRB 14/2017)")
    p.add_argument("--units", help="daftar unit: params/units.yml atau foldernya (nama unit, populasi, periode)")
    p.add_argument("--layanan", action="append", default=[], metavar="NAMA",
                   help="jenis layanan untuk dicentang/dipilih; ulangi untuk tiap layanan (bawaan: diketik)")
    p.add_argument("--form-url", help="alamat formulir daring: kode QR di kuesioner cetak")
    p.add_argument("--non-return", type=float, default=0.2,
                   help="bagian kuesioner yang diperkirakan tidak kembali, 0 sampai < 1 (bawaan 0.2)")
    p.add_argument("--period", help="nama periode survei (menimpa units.yml), mis. 'Semester I 2026'")
    p.add_argument("--institution", help="nama instansi (menimpa units.yml)")
    p.add_argument("--format", default="html,pdf,xlsform,gforms,xlsx",
                   help="sebagian dari html,pdf,xlsform,gforms,xlsx (bawaan: semua)")
    p.set_defaults(func=_run_kuesioner)


def _run_kuesioner(a):
    from .instruments import make_instruments

    formats = tuple(f.strip() for f in a.format.split(",") if f.strip())
    result = make_instruments(a.out, survey=a.survey, units=a.units, layanan=a.layanan, form_url=a.form_url,
                              non_return=a.non_return, period=a.period, institution=a.institution,
                              formats=formats)
    for paths in result.outputs.values():
        for path in paths:
            print(f"ditulis: {path}")


# -- riwayat-impor ----------------------------------------------------------------
def _add_history_import(sub):
    p = _parser(sub, "riwayat-impor", "Tambahkan hasil SKM lama (sebelum skmkit) ke riwayat hasil folder keluaran.", """
skmkit riwayat-impor hasil_lama.csv --out outputs
skmkit riwayat-impor hasil_lama.xlsx --out outputs --survey params/survey.yml

Kolom tabel: periode, awal (YYYY-MM-DD), unit, ikm; boleh ditambah akhir, responden
dan NRR per unsur (kolom U1..U9 sesuai definisi survei).""")
    p.add_argument("table", help="tabel hasil lama (CSV/XLSX): satu baris per periode dan unit")
    p.add_argument("--out", default="outputs", help="folder keluaran batch yang riwayatnya ditambah (bawaan outputs)")
    p.add_argument("--survey", help="definisi survei YAML (bawaan: PermenPANRB 14/2017)")
    p.set_defaults(func=_run_history_import)


def _run_history_import(a):
    from .history import IKM_ROW, import_results

    h = import_results(a.table, out=a.out, survey=a.survey)
    top = h[h["unsur"] == IKM_ROW]
    print(f"Riwayat {a.out}: {top['period'].nunique()} periode, {top['unit_key'].nunique()} unit "
          f"({(top['source'] == 'impor').sum()} hasil dari laporan lama).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="skmkit",
        description="skmkit: pengolahan dan laporan Survei Kepuasan Masyarakat (PermenPANRB 14/2017).",
        epilog=_examples("""
skmkit validate data.csv
skmkit ikm data.csv --by "Unit Layanan"
skmkit sample-size 1000
skmkit demo --out outputs"""),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"skmkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="PERINTAH")
    for add in COMMANDS:
        add(sub)
    return parser


#: Each adds one sub-command; report, batch, banner and others add theirs here.
COMMANDS = [_add_validate, _add_ikm, _add_sample_size, _add_demo_data, _add_demo, _add_report, _add_batch, _add_banner, _add_workbook, _add_kuesioner,
            _add_pelatihan, _add_history_import]


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except SkmError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("dibatalkan.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `skmkit ikm ... --json | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
