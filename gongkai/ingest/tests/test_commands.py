"""``gongkai reports parse|import|audit`` from the command line."""

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from gongkai.ingest.tests.make_corpus import SPECS, render_text
from gongkai.reports.models import AnnualReport
from gongkai.reports.selectors import agency_report
from gongkai.testing import run_console

CORPUS = Path(__file__).with_name("corpus")
SEED = CORPUS / "seed-xianyou-gxj-2020.txt"


class TestParse:
    def test_one_file_prints_one_canonical_object(self, capsys):
        code, out, err = run_console(["reports", "parse", str(SEED)], capsys)
        assert (code, err) == (0, "")
        doc = json.loads(out)
        assert doc["agency"]["name"] == "仙游县工业和信息化局" and doc["year"] == 2020
        assert doc["proactive"]["penalty"]["previous_year_items"] == 62
        assert any(p["raw"] == "00" for p in doc["problems"])

    def test_several_files_print_a_list(self, capsys):
        files = [str(CORPUS / "hongze-2023.pdf"), str(CORPUS / "hongze-2024.pdf")]
        code, out, _ = run_console(["reports", "parse", *files], capsys)
        assert code == 0
        assert [d["year"] for d in json.loads(out)] == [2023, 2024]

    def test_text_format_of_every_corpus_report(self, capsys):
        files = sorted(str(p) for p in CORPUS.iterdir() if not p.name.endswith(".json"))
        code, out, err = run_console(["reports", "parse", "--format", "text", *files], capsys)
        assert (code, err) == (0, "")
        assert out.count("读出 ") == len(files)
        assert "（原文“00”）" in out or "“00”不是规范的数字" in out

    def test_text_format_lists_problems_and_checks(self, capsys):
        code, out, _ = run_console(["reports", "parse", "--format", "text", str(CORPUS / "hongze-2023.pdf")], capsys)
        assert code == 0
        assert "洪泽区人民政府 2023年" in out
        assert "[错误] R1" in out and "[推得]" in out


def _inputs(tmp_path: Path) -> dict[str, Path]:
    pdf = (CORPUS / "hongze-2023.pdf").read_bytes()
    docx = (CORPUS / "10-docx-2021.docx").read_bytes()
    files = {
        "empty": b"",
        "blank": b"   \n\n\t  \n",
        "truncated pdf": pdf[:4000],
        "truncated docx": docx[: len(docx) // 2],
        "binary": bytes(range(256)) * 20,
        "random zip header": b"PK\x03\x04" + b"\x00" * 200,
        "old word": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500,
        "another document": "关于召开全县安全生产工作会议的通知\n各乡镇人民政府：\n定于2024年3月5日召开会议。\n".encode(),
        "html without report": b"<html><body><table><tr><td>1</td><td>2</td></tr></table></body></html>",
        "gbk text": "仙游县某局2020年政府信息公开工作年度报告\n无表格".encode("gb18030"),
    }
    out = {}
    for name, data in files.items():
        path = tmp_path / (name.replace(" ", "-") + ".bin")
        path.write_bytes(data)
        out[name] = path
    out["folder"] = tmp_path
    out["missing"] = tmp_path / "no-such-file.pdf"
    return out


class TestBadInput:
    @pytest.mark.parametrize("which", ["empty", "blank", "truncated pdf", "truncated docx", "binary",
                                       "random zip header", "old word", "another document", "html without report",
                                       "gbk text", "folder", "missing"])
    def test_one_line_error_and_non_zero_exit(self, which, tmp_path, capsys):
        path = _inputs(tmp_path)[which]
        code, out, err = run_console(["reports", "parse", str(path)], capsys)
        assert code == 1
        assert out == ""
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
        assert str(path) in err

    def test_good_files_are_still_printed_when_one_fails(self, tmp_path, capsys):
        bad = _inputs(tmp_path)["binary"]
        code, out, err = run_console(["reports", "parse", str(SEED), str(bad)], capsys)
        assert code == 1
        assert [d["year"] for d in json.loads(out)] == [2020]
        assert len(err.strip().splitlines()) == 1


@pytest.mark.django_db
class TestImport:
    def test_stores_the_report_for_its_year(self, agency, capsys):
        code, out, err = run_console(["reports", "import", str(CORPUS / "hongze-2023.pdf"), "--agency", agency.code],
                                     capsys)
        assert (code, err) == (0, "")
        assert "已导入" in out and "2023年度" in out
        report = AnnualReport.objects.get(agency=agency, year=2023)
        assert report.snapshot["agency"] == {"code": agency.code, "name": agency.name}
        assert report.snapshot["proactive"]["licensing"]["decisions"] == 550
        assert report.versions.get().imported
        assert "洪泽区人民政府坚持" in report.overview
        assert "注意：报告标题中的机关为“洪泽区人民政府”" in out  # imported under another agency's code

    def test_refuses_to_overwrite_without_replace(self, agency, capsys):
        args = ["reports", "import", str(CORPUS / "hongze-2023.pdf"), "--agency", agency.code]
        assert run_console(args, capsys)[0] == 0
        code, out, err = run_console(args, capsys)
        assert code == 1 and "未指定替换" in err and len(err.strip().splitlines()) == 1
        assert run_console([*args, "--replace"], capsys)[0] == 0
        assert AnnualReport.objects.get(agency=agency, year=2023).versions.count() == 2

    def test_unknown_agency_and_bad_file(self, agency, tmp_path, capsys):
        code, _, err = run_console(["reports", "import", str(SEED), "--agency", "nobody"], capsys)
        assert code == 2 and "未知的机关代码" in err
        bad = _inputs(tmp_path)["truncated pdf"]
        code, _, err = run_console(["reports", "import", str(bad), "--agency", agency.code], capsys)
        assert code == 1 and "Traceback" not in err
        assert not AnnualReport.objects.filter(agency=agency).exists()

    def test_a_year_that_contradicts_the_report_is_refused(self, agency, capsys):
        code, _, err = run_console(["reports", "import", str(SEED), "--agency", agency.code, "--year", "2021"],
                                   capsys)
        assert code == 1 and "2020" in err

    def test_the_first_year_kept_in_gongkai_is_checked_against_the_imported_year(self, agency, capsys):
        """2022 imported with one application carried forward and 9 normative documents in force; 2023 is
        computed from records (none): A4 and P1 compare it with the imported figures."""
        path = CORPUS / "01-html-rowspan-2021.html"
        assert run_console(["reports", "import", str(path), "--agency", agency.code], capsys)[0] == 0
        report = agency_report(agency=agency, year=2023)
        rules = {(c.rule, tuple(c.cells)) for c in report.checks}
        assert ("A4", ("applications.carried_over.natural_person",)) in rules
        assert ("A4", ("applications.carried_over.total",)) in rules
        assert any(rule == "P1" and "proactive.normative_documents.in_force" in cells for rule, cells in rules)

    def test_p2_across_the_boundary_for_the_2019_format(self, agency, capsys):
        path = CORPUS / "02-html-2019-nil-marks.html"  # 2019: 行政许可 40 + 3
        assert run_console(["reports", "import", str(path), "--agency", agency.code], capsys)[0] == 0
        report = agency_report(agency=agency, year=2020)
        p2 = [c for c in report.checks if c.rule == "P2"]
        assert any("proactive.licensing.previous_year_items" in c.cells and "(43)" not in c.message and "40" in c.message
                   for c in p2)


def _write_pair(folder: Path):
    """The same agency in 2022 (one application carried forward) and 2023 (none carried over)."""
    spec = next(s for s in SPECS if s.name.startswith("01-"))
    shutil.copy(CORPUS / "01-html-rowspan-2021.html", folder / "a-2022.html")
    values = {**spec.values, "applications.new_received": (15, 3, 0, 1, 2, 0),
              "applications.carried_over": (0, 0, 0, 0, 0, 0)}
    later = type(spec)(**{**spec.__dict__, "name": "later", "year": 2023, "kind": "text", "values": values,
                          "agency": "福建省" + spec.agency, "narrative": ""})
    (folder / "b-2023.txt").write_text(render_text(later), encoding="utf-8")


class TestAudit:
    def test_xlsx_has_a_row_per_report_and_a_sheet_of_problems(self, tmp_path, capsys):
        folder = tmp_path / "in"
        folder.mkdir()
        _write_pair(folder)
        shutil.copy(SEED, folder / "c-seed.txt")
        (folder / "d-broken.pdf").write_bytes(b"%PDF-1.7\n garbage")
        out = tmp_path / "summary.xlsx"
        code, stdout, err = run_console(["reports", "audit", str(folder), "-o", str(out)], capsys)
        assert (code, err) == (0, "")
        assert "核查 4 份文件" in stdout
        book = openpyxl.load_workbook(out)
        assert book.sheetnames == ["报告", "问题"]
        rows = list(book["报告"].iter_rows(values_only=True))
        assert rows[0][:6] == ("文件", "机关", "年度", "格式", "已读单元格", "无法识别单元格")
        by_file = {r[0]: r for r in rows[1:]}
        assert set(by_file) == {"a-2022.html", "b-2023.txt", "c-seed.txt", "d-broken.pdf"}
        assert by_file["c-seed.txt"][1:6] == ("仙游县工业和信息化局", 2020, "2019", 190, 8)
        assert "N1" in by_file["c-seed.txt"][7]
        # Cross-year: 2022 carried 1 forward, 2023 carried 0 over (the names differ by the province prefix).
        assert "A4" in (by_file["b-2023.txt"][7] or "")
        assert by_file["d-broken.pdf"][8]
        problems = list(book["问题"].iter_rows(values_only=True))
        assert any(r[0] == "c-seed.txt" and r[2] == "00" for r in problems)
        assert any(r[0] == "b-2023.txt" and (r[3] or "").endswith("A4") for r in problems)

    def test_csv_writes_the_summary_and_the_problems(self, tmp_path, capsys):
        folder = tmp_path / "in"
        folder.mkdir()
        shutil.copy(SEED, folder)
        out = tmp_path / "summary.csv"
        code, stdout, _ = run_console(["reports", "audit", str(folder), "-o", str(out)], capsys)
        assert code == 0
        assert out.read_text(encoding="utf-8-sig").splitlines()[0].startswith("文件,机关,年度")
        assert "00" in (tmp_path / "summary.problems.csv").read_text(encoding="utf-8-sig")

    def test_bad_arguments(self, tmp_path, capsys):
        assert run_console(["reports", "audit", str(tmp_path / "nope"), "-o", str(tmp_path / "x.xlsx")], capsys)[0] == 2
        assert run_console(["reports", "audit", str(tmp_path), "-o", str(tmp_path / "x.pdf")], capsys)[0] == 2


@pytest.mark.django_db
def test_an_imported_report_is_served_by_the_public_api(agency, client, capsys):
    """The API serves the imported figures as read, nulls and problems included, and they validate."""
    from gongkai.reports.schema import validate_report

    assert run_console(["reports", "import", str(SEED), "--agency", agency.code], capsys)[0] == 0
    response = client.get(f"/api/v1/reports/{agency.code}/2020")
    assert response.status_code == 200
    doc = response.json()
    validate_report(doc)
    assert doc["agency"]["code"] == agency.code
    assert doc["applications"]["withheld"]["administrative_query"]["total"] is None
    assert any(p["raw"] == "00" for p in doc["problems"])


def test_damaged_copies_of_every_corpus_file_give_a_result_or_a_read_error():
    """Bytes overwritten or cut off at random (fixed seed): a report with problems, or ParseError — nothing else."""
    import random

    from gongkai.ingest.selectors import ParseError, report_parse

    rng = random.Random(20261204)
    for path in sorted(p for p in CORPUS.iterdir() if not p.name.endswith(".json")):
        data = path.read_bytes()
        for _ in range(3 if path.suffix == ".pdf" else 12):
            damaged = bytearray(data)
            for _ in range(rng.choice([1, 5, 50])):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
            if rng.random() < 0.3:
                damaged = damaged[: rng.randrange(len(damaged))]
            try:
                report_parse(bytes(damaged), name=path.name)
            except ParseError as exc:
                assert str(exc) and "\n" not in str(exc)


def test_xhtml_with_an_encoding_declaration():
    html = (CORPUS / "01-html-rowspan-2021.html").read_text(encoding="utf-8")
    xhtml = '<?xml version="1.0" encoding="utf-8"?>\n' + html
    from gongkai.ingest.selectors import report_parse

    assert report_parse(xhtml.encode(), name="page.xhtml").report.cells_unread == 0


@pytest.mark.django_db
def test_import_with_a_year_the_report_does_not_print(agency, tmp_path, capsys):
    """A report without a title or period (a table copied alone): --year gives the year and, with it, the format."""
    text = (CORPUS / "07-fullwidth-2021.txt").read_text(encoding="utf-8").split("\n", 3)[3]
    text = text.replace("2021年1月1日起至2021年12月31日止", "")
    path = tmp_path / "tables.txt"
    path.write_text(text, encoding="utf-8")
    code, _, err = run_console(["reports", "import", str(path), "--agency", agency.code], capsys)
    assert code == 1 and "--year" in err
    code, out, err = run_console(["reports", "import", str(path), "--agency", agency.code, "--year", "2021"], capsys)
    assert (code, err) == (0, "")
    snapshot = AnnualReport.objects.get(agency=agency, year=2021).snapshot
    assert snapshot["year"] == 2021 and snapshot["proactive"]["licensing"]["decisions"] == 245
    assert any("按指定的2021年" in p["message"] for p in snapshot["problems"])
