"""Bulk import of existing items: readers, row checks, all-or-nothing, --skip-bad, --dry-run, the command."""

from datetime import date, datetime

import openpyxl
import pytest
from django.contrib.auth.models import User

from gongkai.agencies.workdays import WorkingDayCalendar
from gongkai.audit.models import AuditEntry
from gongkai.catalogue.importer import LINE, ImportFileError, items_import, read_rows
from gongkai.catalogue.models import DocumentType, Genre, Item, ItemStatus, Validity
from gongkai.catalogue.workflow import index_number_assign
from gongkai.reports.selectors import agency_report
from gongkai.testing import run_console

TODAY = date(2025, 11, 24)
CALENDAR = WorkingDayCalendar()
HEADER = "索引号,标题,发布机构,文号,成文日期,发布日期,文件类型,有效性,实施日期,废止日期,体裁,发布渠道,内容概述,正文"


@pytest.fixture(autouse=True)
def _keep_test_connection(monkeypatch):
    """``run_from_argv`` closes the database connections when a command ends; on PostgreSQL that would
    end the test's transaction, so the checks after a command could not read what it wrote."""
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    return run_console(argv, capsys)


def write_csv(path, lines: list[str], *, encoding="utf-8-sig"):
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def do_import(agency, path, **options):
    return items_import(agency=agency, rows=read_rows(path), today=TODAY, calendar=CALENDAR, **options)


@pytest.fixture
def numbered(agency):
    agency.organisation_code = "0142768-8"
    agency.save()
    return agency


@pytest.fixture
def good_csv(tmp_path, numbered):
    name = numbered.name
    return write_csv(tmp_path / "good.csv", [
        HEADER,
        f"0142768-8/2023-00007,关于印发《测试县工业企业技术改造专项资金管理办法》的通知,{name},测工信〔2023〕5号,"
        "2023-03-01,2023/03/10,规范性文件,有效,2023年4月1日,,通知,政府网站信息公开专栏；政务微信公众号,技改资金管理办法,"
        '"<p>各有关企业：</p><script>alert(1)</script>"',
        f",测试县2022年政府信息公开工作年度报告,{name},,2023-01-10,2023-01-20,其他政府信息,,,,报告,,,",
        ",关于调整会议时间的通知,,,2023-01-03,2023-06-30,other,有效,,,notice,政府网站、公开栏,,\"第一段\n第二段\"",
    ])


# --- readers ------------------------------------------------------------------------------------

def test_csv_reader_yields_dicts_with_lines(tmp_path):
    path = write_csv(tmp_path / "a.csv", ["标题,成文日期,发布日期", "甲,2023-01-01,2023-01-02", ",,",
                                          '"乙\n（续）",2023-01-01,2023-01-02'])
    rows = list(read_rows(path))
    assert rows == [{"标题": "甲", "成文日期": "2023-01-01", "发布日期": "2023-01-02", LINE: 2},
                    {"标题": "乙\n（续）", "成文日期": "2023-01-01", "发布日期": "2023-01-02", LINE: 4}]


def test_csv_saved_by_excel_on_chinese_windows_is_read_as_gb18030(tmp_path):
    path = write_csv(tmp_path / "gbk.csv", ["标题,成文日期,发布日期", "关于〔2023〕的通知,2023-01-01,2023-01-02"],
                     encoding="gb18030")
    assert next(read_rows(path))["标题"] == "关于〔2023〕的通知"


def test_xlsx_reader_turns_dates_into_dates(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([])  # a blank first row is skipped
    sheet.append(["title", "formed_on", "published_on", "document_number"])
    sheet.append(["甲", datetime(2023, 1, 1), date(2023, 1, 2), 12.0])
    book.save(tmp_path / "a.xlsx")
    assert list(read_rows(tmp_path / "a.xlsx")) == [
        {"title": "甲", "formed_on": date(2023, 1, 1), "published_on": date(2023, 1, 2), "document_number": "12",
         LINE: 3}]


@pytest.mark.parametrize("name,content,message", [
    ("a.txt", b"x", "只能导入 CSV 或 XLSX 文件"),
    ("a.xlsx", b"not a workbook", "不是有效的 XLSX 文件"),
    ("a.csv", "标题,标题\n甲,乙\n".encode(), "列“标题”出现了多次"),
    ("a.csv", b"", "文件第1行应为列名"),
])
def test_unreadable_files(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        list(read_rows(path))


# --- import -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_good_csv_is_imported_as_published_items(numbered, good_csv):
    report = do_import(numbered, good_csv)
    assert report.ok and report.errors == [] and report.rows == 3
    assert report.imported == ["0142768-8/2023-00007", "0142768-8/2023-00008", "0142768-8/2023-00009"]
    regulation = Item.objects.get(index_number="0142768-8/2023-00007")
    assert regulation.status == ItemStatus.PUBLISHED
    assert regulation.document_type == DocumentType.NORMATIVE_DOCUMENT and regulation.genre == Genre.NOTICE
    assert (regulation.formed_on, regulation.published_on, regulation.effective_on) == (
        date(2023, 3, 1), date(2023, 3, 10), date(2023, 4, 1))
    assert regulation.channels == ["website", "wechat"] and regulation.validity == Validity.VALID
    assert regulation.body == "<p>各有关企业：</p>"  # sanitized
    assert not regulation.late
    report_item = Item.objects.get(title="测试县2022年政府信息公开工作年度报告")
    assert report_item.channels == ["website"] and report_item.genre == Genre.REPORT
    late = Item.objects.get(title="关于调整会议时间的通知")
    assert late.late and late.late_confirmed  # published six months after it was formed (第二十六条)
    assert late.channels == ["website", "bulletin_board"] and late.body == "<p>第一段</p><p>第二段</p>"
    [entry] = AuditEntry.objects.filter(action="item.import")
    assert (entry.target_type, entry.target_id) == ("agencies.agency", str(numbered.pk))
    assert entry.data == {"rows": 3, "imported": 3, "skipped": 0, "skipped_lines": [],
                          "first": "0142768-8/2023-00007", "last": "0142768-8/2023-00009"}


@pytest.mark.django_db
def test_given_index_numbers_move_the_counter_on(numbered, good_csv):
    do_import(numbered, good_csv)
    probe = Item(agency=numbered, title="x", formed_on=date(2023, 12, 1))
    assert index_number_assign(probe, year=2023) == "0142768-8/2023-00010"


@pytest.mark.django_db
def test_xlsx_with_english_headers(numbered, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["index_number", "title", "formed_on", "published_on", "document_type", "validity",
                  "abolished_on", "channels"])
    sheet.append(["", "关于废止部分规范性文件的决定", datetime(2021, 5, 6), datetime(2021, 5, 8), "normative_document",
                  "废止", datetime(2023, 6, 1), "website"])
    book.save(tmp_path / "items.xlsx")
    report = do_import(numbered, tmp_path / "items.xlsx")
    assert report.ok, report.lines()
    item = Item.objects.get(title="关于废止部分规范性文件的决定")
    assert item.index_number == "0142768-8/2021-00001"
    assert item.validity == Validity.ABOLISHED and item.abolished_on == date(2023, 6, 1)


BAD_ROWS = [
    HEADER,
    ",好的一行,,,2023-01-03,2023-01-05,,,,,,,,",
    ",日期错误,,,2023-01-03,2020.13.45,,,,,,,,",
    ",类型错误,,,2023-01-03,2023-01-05,红头文件,,,,,,,",
    ",发布早于成文,,,2023-02-03,2023-01-05,,,,,,,,",
    ",,,,2023-01-03,2023-01-05,,,,,,,,",
    ",另一机关,邻县工业和信息化局,,2023-01-03,2023-01-05,,,,,,未知渠道,,",
    ",已废止未填日期,,,2023-01-03,2023-01-05,,废止,,,,,,",
    ",不存在的日期,,,2023-02-30,2023-03-05,,,,,,,,",
    ",未来发布,,,2099-11-01,2099-12-01,,,,,,,,",
    ",概述太长,,,2023-01-03,2023-01-05,,,,,,," + "长" * 101 + ",",
]


@pytest.mark.django_db
def test_bad_rows_stop_the_import_and_each_line_and_cell_is_reported(numbered, tmp_path):
    report = do_import(numbered, write_csv(tmp_path / "bad.csv", BAD_ROWS))
    assert not report.ok and report.imported == [] and Item.objects.count() == 0
    lines = report.lines()
    assert lines[:6] == [
        "第3行「发布日期」：日期格式应为 YYYY-MM-DD，实际为“2020.13.45”",
        "第4行「文件类型」：未知的文件类型“红头文件”（可选：规章、行政规范性文件、其他政府信息）",
        "第5行「发布日期」：发布日期（2023-01-05）早于成文日期（2023-02-03）",
        "第6行「标题」：必须填写",
        f"第7行「发布渠道」：未知的发布渠道“未知渠道”（可选：政府网站信息公开专栏、政务微信公众号、政务公开栏、办事服务指南）",
        f"第7行「发布机构」：应为本机关“{numbered.name}”，实际为“邻县工业和信息化局”",
    ]
    assert lines[6] == "第8行「废止日期」：已废止或失效的文件须填写废止日期"
    assert lines[7] == "第9行「成文日期」：不是有效的日期：“2023-02-30”"
    assert lines[8] == "第10行「发布日期」：发布日期（2099-12-01）晚于今天，导入的应是已发布的信息"
    assert lines[9].startswith("第11行「内容概述」：") and "100" in lines[9]
    assert len(lines) == 10
    assert report.summary() == "共 10 行，9 行有错误，未导入任何信息。"
    assert not AuditEntry.objects.filter(action="item.import").exists()


@pytest.mark.django_db
def test_skip_bad_imports_the_good_rows(numbered, tmp_path):
    report = do_import(numbered, write_csv(tmp_path / "bad.csv", BAD_ROWS), skip_bad=True)
    assert report.ok and report.imported == ["0142768-8/2023-00001"]
    assert list(Item.objects.values_list("title", flat=True)) == ["好的一行"]
    assert report.summary() == "共 10 行，已导入 1 条，跳过有错误的 9 行。"
    entry = AuditEntry.objects.get(action="item.import")
    assert entry.data["skipped_lines"] == [3, 4, 5, 6, 7, 8, 9, 10, 11]


@pytest.mark.django_db
def test_skip_bad_with_every_row_bad_imports_nothing(numbered, tmp_path):
    report = do_import(numbered, write_csv(tmp_path / "bad.csv", [BAD_ROWS[0], *BAD_ROWS[2:4]]), skip_bad=True)
    assert not report.ok and Item.objects.count() == 0


@pytest.mark.django_db
def test_dry_run_checks_but_writes_nothing(numbered, good_csv):
    report = do_import(numbered, good_csv, dry_run=True)
    assert report.ok and len(report.imported) == 3 and report.written == 0
    assert report.summary() == "共 3 行，试运行：可导入 3 条，未写入数据库。"
    assert Item.objects.count() == 0 and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_duplicates_in_the_file_and_in_the_database(numbered, tmp_path):
    Item.objects.create(agency=numbered, status=ItemStatus.PUBLISHED, index_number="0142768-8/2023-00001",
                        title="已有的信息", formed_on=date(2023, 1, 1), published_on=date(2023, 1, 2))
    path = write_csv(tmp_path / "dup.csv", [
        "索引号,标题,成文日期,发布日期",
        "0142768-8/2023-00002,甲,2023-01-01,2023-01-02",
        "0142768-8/2023-00002,乙,2023-01-01,2023-01-02",
        "0142768-8/2023-00001,丙,2023-01-01,2023-01-02",
        ",已有的信息,2023-01-01,2023-01-02",
        ",丁,2023-01-01,2023-01-02",
        ",丁,2023-01-01,2023-01-02",
    ])
    report = do_import(numbered, path)
    assert report.lines() == [
        "第3行「索引号」：索引号“0142768-8/2023-00002”与第2行重复",
        "第4行「索引号」：索引号“0142768-8/2023-00001”已存在（系统中已有该信息）",
        "第5行「标题」：本机关已有标题和发布日期相同的信息（索引号 0142768-8/2023-00001），疑似重复导入",
        "第7行「标题」：与第6行标题和发布日期相同，疑似重复",
    ]
    assert Item.objects.count() == 1


@pytest.mark.django_db
def test_importing_the_same_file_twice_is_refused(numbered, good_csv):
    assert do_import(numbered, good_csv).ok
    again = do_import(numbered, good_csv)
    assert not again.ok and Item.objects.count() == 3
    assert len(again.errors) == 3


@pytest.mark.django_db
@pytest.mark.parametrize("lines,message", [
    (["标题,成文日期,发布日期,备注", "甲,2023-01-01,2023-01-02,x"], "第1行：未知的列 “备注”"),
    (["标题,成文日期", "甲,2023-01-01"], "第1行：缺少必需的列 发布日期"),
    (["标题,title,成文日期,发布日期", "甲,甲,2023-01-01,2023-01-02"], "列“标题”与“title”出现了多次"),
    (["标题,成文日期,发布日期"], "文件中没有数据行"),
])
def test_file_level_problems_import_nothing(numbered, tmp_path, lines, message):
    report = do_import(numbered, write_csv(tmp_path / "f.csv", lines), skip_bad=True)
    assert not report.ok and report.file_errors and message in report.file_errors[0]
    assert Item.objects.count() == 0


@pytest.mark.django_db
def test_exported_catalogue_columns_are_accepted(numbered, tmp_path):
    path = write_csv(tmp_path / "metadata.csv", [
        "索引号,标题,发布机构,文号,成文日期,发布日期,主题分类,体裁,文件类型,有效性,实施日期,废止日期,公开方式,关键词,内容概述,"
        "发布渠道,正文文件,附件文件",
        f"x/2023-1,甲,{numbered.name},,2023-01-01,2023-01-02,综合政务,通知,其他政府信息,有效,,,主动公开,,,"
        "政府网站信息公开专栏,bodies/x_2023-1.pdf,attachments/x_2023-1/a.pdf",
    ])
    report = do_import(numbered, path)
    assert report.ok and report.notices == ["「正文文件、附件文件」列的内容不导入：附件请在信息导入后另行上传"]


@pytest.mark.django_db
def test_imported_normative_documents_count_in_table_two(numbered, good_csv):
    do_import(numbered, good_csv)
    cells = agency_report(agency=numbered, year=2023).cells
    assert cells["proactive.normative_documents.issued"] == 1
    assert cells["proactive.normative_documents.in_force"] == 1
    assert cells["proactive.regulations.issued"] == 0


@pytest.mark.django_db
def test_the_importing_user_is_the_audit_actor(numbered, good_csv):
    user = User.objects.create_user("office", password="a-long-password-1")
    items_import(user=user, agency=numbered, rows=read_rows(good_csv), today=TODAY, calendar=CALENDAR)
    assert AuditEntry.objects.get(action="item.import").actor == user


# --- the command --------------------------------------------------------------------------------

@pytest.mark.django_db
def test_command_imports_and_exits_0(numbered, good_csv, capsys):
    code, out, err = run(["items", "import", "--agency", numbered.code, str(good_csv)], capsys)
    assert code == 0, err
    assert out.strip() == "共 3 行，已导入 3 条。" and Item.objects.count() == 3


@pytest.mark.django_db
def test_command_reports_bad_rows_and_exits_1(numbered, tmp_path, capsys):
    path = write_csv(tmp_path / "bad.csv", BAD_ROWS)
    code, out, err = run(["items", "import", "--agency", numbered.code, str(path)], capsys)
    assert code == 1 and Item.objects.count() == 0
    assert "第3行「发布日期」：日期格式应为 YYYY-MM-DD，实际为“2020.13.45”" in out.splitlines()
    assert "未导入任何信息" in err and "Traceback" not in err


@pytest.mark.django_db
def test_command_skip_bad_exits_0_and_dry_run_writes_nothing(numbered, tmp_path, capsys):
    path = write_csv(tmp_path / "bad.csv", BAD_ROWS)
    code, out, _ = run(["items", "import", "--agency", numbered.code, str(path), "--skip-bad", "--dry-run"], capsys)
    assert code == 0 and "试运行：可导入 1 条" in out and Item.objects.count() == 0
    code, out, _ = run(["items", "import", "--agency", numbered.code, str(path), "--skip-bad"], capsys)
    assert code == 0 and "已导入 1 条，跳过有错误的 9 行" in out and Item.objects.count() == 1


@pytest.mark.django_db
def test_command_file_problem_is_one_line_exit_1(numbered, tmp_path, capsys):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a workbook")
    code, out, err = run(["items", "import", "--agency", numbered.code, str(path)], capsys)
    assert code == 1 and "不是有效的 XLSX 文件" in out + err and "Traceback" not in err


@pytest.mark.django_db
@pytest.mark.parametrize("argv,message", [
    (["items", "import", "--agency", "nope", "x.csv"], "未知的机关代码：nope"),
    (["items", "import", "--agency", "testcounty-gxj", "/nonexistent/x.csv"], "找不到文件：/nonexistent/x.csv"),
    (["items", "import", "--agency", "testcounty-gxj"], "请指定 --agency 和要导入的文件"),
])
def test_command_usage_errors_are_one_line_exit_2(agency, capsys, argv, message):
    code, out, err = run(argv, capsys)
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0 and message in err and "Traceback" not in err


@pytest.mark.django_db
def test_command_refuses_other_file_types_exit_2(agency, tmp_path, capsys):
    path = tmp_path / "items.docx"
    path.write_bytes(b"x")
    code, _, err = run(["items", "import", "--agency", agency.code, str(path)], capsys)
    assert code == 2 and "只能导入 CSV 或 XLSX 文件" in err
