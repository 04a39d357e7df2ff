"""``gongkai report build|check`` as a user runs it."""

import json
from datetime import date
from io import BytesIO

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.applications.models import Application
from gongkai.reports.models import AdministrativeFigures, AnnualReport
from gongkai.testing import run_console


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    return run_console(argv, capsys)


@pytest.fixture
def figures(agency):
    return AdministrativeFigures.objects.create(agency=agency, year=2020, licensing_previous_year_items=4,
                                                penalty_previous_year_items=62)


@pytest.mark.django_db
def test_build_json_to_stdout(agency, figures, capsys):
    code, out, err = run(["report", "build", "--agency", agency.code, "--year", "2020", "--format", "json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["agency"] == {"code": agency.code, "name": agency.name}
    assert doc["format"] == "2019"
    assert doc["proactive"]["penalty"] == {"previous_year_items": 62, "change": 0, "decisions": 0}
    assert doc["checks"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "md", "html", "xlsx", "docx", "pdf"])
def test_build_every_format_to_a_file(agency, figures, tmp_path, fmt):
    target = tmp_path / f"report.{fmt}"
    call_command("report", "build", "--agency", agency.code, "--year", "2020", "--format", fmt, "-o", str(target))
    data = target.read_bytes()
    if fmt == "xlsx":
        book = openpyxl.load_workbook(BytesIO(data))
        assert 62 in [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    elif fmt == "docx":
        from docx import Document

        cells = [c.text for t in Document(BytesIO(data)).tables for row in t.rows for c in row.cells]
        assert "62" in cells
    elif fmt == "pdf":
        from pypdf import PdfReader

        assert data.startswith(b"%PDF")
        assert "62" in "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    else:
        assert "62" in data.decode("utf-8")


@pytest.mark.django_db
def test_build_region_aggregate(agency, region, capsys):
    Application.objects.create(agency=agency, applicant_type="natural_person", channel="email",
                               received_on=date(2023, 2, 1))
    code, out, _ = run(["report", "build", "--region", region.parent.code, "--year", "2023"], capsys)
    doc = json.loads(out)
    assert code == 0
    assert doc["region"]["code"] == region.parent.code and "agency" not in doc
    assert doc["applications"]["new_received"]["total"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize("argv,message", [
    (["report", "build", "--agency", "nope", "--year", "2020"], "未知的机关代码：nope"),
    (["report", "build", "--region", "nope", "--year", "2020"], "未知的区划代码：nope"),
    (["report", "build", "--agency", "testcounty-gxj", "--year", "2018"], "未知的年度：2018"),
    (["report", "build", "--agency", "testcounty-gxj", "--year", "20x0"], "未知的年度：20x0"),
    (["report", "build", "--agency", "testcounty-gxj", "--year", "2999"], "未知的年度：2999"),
    (["report", "build", "--agency", "testcounty-gxj", "--year", "2020", "--format", "odt"], "未知的输出格式：odt"),
    (["report", "check", "--year", "2020"], "请指定 --agency 或 --region 之一"),
])
def test_unknown_input_is_one_line_and_exit_2(agency, capsys, argv, message):
    code, out, err = run(argv, capsys)
    assert code == 2
    assert out == ""
    assert err.strip().count("\n") == 0 and message in err
    assert "Traceback" not in err


@pytest.mark.django_db
def test_check_passes_with_exit_0(agency, region, capsys):
    code, out, _ = run(["report", "check", "--region", region.code, "--year", "2021"], capsys)
    assert code == 0
    assert "0 个错误" in out


@pytest.mark.django_db
def test_check_fails_with_exit_1_and_prints_each_violation(agency, capsys):
    previous = {"schema": "gongkai.annual-report/1", "agency": {"code": agency.code, "name": agency.name},
                "year": 2022, "format": "2021", "applications": {"carried_forward": {"total": 3}}}
    AnnualReport.objects.create(agency=agency, year=2022, snapshot=previous)
    AnnualReport.objects.create(agency=agency, year=2023, overview="全年共主动公开政府信息9条。")
    code, out, err = run(["report", "check", "--agency", agency.code, "--year", "2023"], capsys)
    assert code == 1
    assert f"[错误] A4 {agency.code} 2023：表三 总计列：2022年第四项结转下年度继续办理(3)≠2023年第二项上年结转(0)" in out
    assert f"[警告] T1 {agency.code} 2023：" in out
    assert "1 个错误，1 个警告" in err


@pytest.mark.django_db
def test_call_command_raises_with_returncode(agency):
    with pytest.raises(CommandError) as e:
        call_command("report", "build", "--agency", "nope", "--year", "2020")
    assert e.value.returncode == 2


# --- gongkai report publish ---------------------------------------------------


def publish(argv: list[str], capsys) -> tuple[int, str, str]:
    """``gongkai report publish`` in-process through call_command, which (unlike the console script) leaves
    the test's database connection open for the assertions that follow."""
    try:
        call_command("report", "publish", *argv)
        code = 0
    except SystemExit as e:
        code = e.code
    except CommandError as e:
        code = e.returncode
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.django_db
def test_publish_freezes_the_report_and_a_second_run_needs_a_reason(agency, figures, capsys):
    from gongkai.audit.models import AuditEntry

    code, out, err = publish(["--agency", agency.code, "--year", "2020"], capsys)
    assert code == 0, err
    assert "已发布" in out and "第1版" in out
    report = AnnualReport.objects.get(agency=agency, year=2020)
    assert report.status == "published" and report.snapshot["proactive"]["penalty"]["previous_year_items"] == 62
    entry = AuditEntry.objects.get(action="annualreport.publish")
    assert entry.actor is None and entry.note == "命令行发布"

    code, out, err = publish(["--agency", agency.code, "--year", "2020"], capsys)
    assert code == 1 and "--reason" in err
    code, out, err = publish(["--agency", agency.code, "--year", "2020", "--reason", "更正表二"], capsys)
    assert code == 0 and "第2版" in out, err
    assert list(report.versions.values_list("number", "reason")) == [(1, ""), (2, "更正表二")]


@pytest.mark.django_db
def test_publish_refuses_while_an_error_check_fails(agency, figures, capsys):
    """A report published for 2019 carrying an application forward that 2020 does not carry over fails A4."""
    from gongkai.reports.selectors import agency_report
    from gongkai.reports.services import report_store_imported

    doc = agency_report(agency=agency, year=2019).canonical()
    doc["applications"]["carried_forward"]["natural_person"] = doc["applications"]["carried_forward"]["total"] = 1
    report_store_imported(agency=agency, year=2019, canonical=doc, replace=False, source_name="2019.pdf")
    code, out, err = publish(["--agency", agency.code, "--year", "2020"], capsys)
    assert code == 1 and "错误级别" in err and "2019年第四项结转下年度继续办理(1)" in err
    assert not AnnualReport.objects.filter(agency=agency, year=2020, snapshot__isnull=False).exists()


@pytest.mark.django_db
def test_publish_unknown_agency_is_a_usage_error(capsys):
    code, out, err = run(["report", "publish", "--agency", "nope", "--year", "2020"], capsys)
    assert code == 2 and "未知的机关代码" in err
