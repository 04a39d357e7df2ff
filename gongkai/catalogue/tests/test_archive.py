"""Transfer to the archive and library (第二十五条): export, verify, and the command's exit codes."""

import csv
import hashlib
import io
import json
import shutil
import subprocess
import zipfile
from datetime import date
from xml.etree import ElementTree

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.catalogue.archive import (
    METADATA_COLUMNS,
    ArchiveError,
    archive_export,
    archive_inspect,
    archive_verify,
    body_html,
    refusing_fetcher,
    safe_name,
)
from gongkai.catalogue.models import (
    Attachment,
    DocumentType,
    Genre,
    Item,
    ItemStatus,
    Validity,
)
from gongkai.testing import run_console

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) missing")

CODE = "0142768-8"
TITLE = "关于印发《测试县工业企业技术改造专项资金管理办法》的通知"
FAKE_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _keep_test_connection(monkeypatch):
    """``run_from_argv`` closes the database connections when a command ends; on PostgreSQL that would
    end the test's transaction, so the checks after a command could not read what it wrote."""
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    return run_console(argv, capsys)


def published(agency, index_number, title, published_on, *, status=ItemStatus.PUBLISHED, **fields):
    data = {"formed_on": published_on, "channels": ["website"], "body": f"<p>{title}的正文。</p>"}
    data.update(fields)
    return Item.objects.create(agency=agency, status=status, index_number=index_number, title=title,
                               published_on=published_on, **data)


def attach(item, title, content, content_type="application/pdf"):
    attachment = Attachment(item=item, title=title, content_type=content_type, size=len(content),
                            sha256=hashlib.sha256(content).hexdigest())
    attachment.file.save(f"stored-{title.encode().hex()[:16]}.{title.rsplit('.', 1)[-1]}", ContentFile(content),
                         save=False)
    attachment.save()
    return attachment


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def year_items(agency, other_agency, media):
    """Two items published in 2025 (given out of 索引号 order), one withdrawn, one of 2024, one elsewhere."""
    agency.organisation_code = CODE
    agency.save()
    second = published(agency, f"{CODE}/2025-00002", TITLE, date(2025, 3, 10), formed_on=date(2025, 3, 3),
                       document_type=DocumentType.NORMATIVE_DOCUMENT, genre=Genre.NOTICE,
                       document_number="测工信〔2025〕12号", topic="工业、交通\\其他", keywords="技改；资金",
                       abstract="技改资金管理办法", effective_on=date(2025, 4, 1), channels=["website", "wechat"],
                       body='<p>各有关企业：</p><p>现将办法印发给你们。</p><p><img src="https://example.invalid/a.png" '
                            'alt="流程图"></p>')
    attach(second, "附件1：资金申报表.pdf", FAKE_PDF + b"one")
    attach(second, "附件1：资金申报表.pdf", FAKE_PDF + b"two")  # same name twice
    first = published(agency, f"{CODE}/2025-00001", "测试县2024年政府信息公开工作年度报告", date(2025, 1, 20))
    published(agency, f"{CODE}/2025-00003", "已撤回的通知", date(2025, 5, 6), status=ItemStatus.WITHDRAWN)
    published(agency, f"{CODE}/2024-00009", "上一年度的通知", date(2024, 12, 30))
    published(other_agency, "other/2025-00001", "邻县的通知", date(2025, 2, 1))
    return [first, second]


def export(agency, tmp_path, year=2025):
    target = tmp_path / "out" / f"{year}.zip"
    target.parent.mkdir(exist_ok=True)
    return archive_export(agency=agency, year=year, target=target)


def rewrite(source, target, *, change=None, drop=None, add=None):
    """Copy a ZIP member by member, changing one member's bytes, dropping one or adding one."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename == drop:
                continue
            data = old.read(info.filename)
            if change and info.filename == change[0]:
                data = change[1](data)
            new.writestr(info, data)
        if add:
            new.writestr(add[0], add[1])
    return target


def flip_one_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1:]


# --- names --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,expected", [
    ("0142768-8/2025-00001", "0142768-8_2025-00001"),
    ('附件1：a/b\\c:d*e?f"g<h>i|j.pdf', "附件1：a_b_c_d_e_f_g_h_i_j.pdf"),
    ("CON", "_CON"),
    ("nul.txt", "_nul.txt"),
    ("报告. ", "报告"),
    ("", "file"),
    ("///", "file"),
    ("长" * 200 + ".pdf", "长" * 116 + ".pdf"),
])
def test_safe_name_is_safe_on_windows(name, expected):
    assert safe_name(name) == expected


# --- export -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_export_holds_the_years_published_items_in_index_order(agency, year_items, tmp_path):
    summary = export(agency, tmp_path)
    assert (summary.items, summary.attachments, summary.withdrawn) == (2, 2, 1)
    assert summary.files == 6 and summary.refused_resources == 1
    with zipfile.ZipFile(summary.path) as z:
        names = z.namelist()
        manifest = json.loads(z.read("manifest.json"))
    assert sorted(names) == sorted([
        "metadata.csv", "metadata.xml",
        f"bodies/{CODE}_2025-00001.pdf", f"bodies/{CODE}_2025-00002.pdf",
        f"attachments/{CODE}_2025-00002/附件1：资金申报表.pdf", f"attachments/{CODE}_2025-00002/附件1：资金申报表(2).pdf",
        "manifest.json",
    ])
    assert names[:2] == ["metadata.csv", "metadata.xml"] and names[-1] == "manifest.json"
    assert manifest["agency"] == {"code": agency.code, "name": agency.name} and manifest["year"] == 2025
    assert manifest["counts"] == {"items": 2, "bodies": 2, "attachments": 2, "files": 6,
                                  "bytes": sum(f["size"] for f in manifest["files"]), "withdrawn_left_out": 1}
    assert "已撤回" in manifest["note"] and "1 条" in manifest["note"]
    assert "manifest.json" not in [f["path"] for f in manifest["files"]]
    assert manifest["generated_at"].startswith(str(date.today().year)[:2])
    stored = {f["path"]: f for f in manifest["files"]}
    attachment = stored[f"attachments/{CODE}_2025-00002/附件1：资金申报表.pdf"]
    assert attachment["sha256"] == hashlib.sha256(FAKE_PDF + b"one").hexdigest()
    assert not list(summary.path.parent.glob("*.part"))


@pytest.mark.django_db
def test_metadata_csv_opens_in_excel_with_chinese_headers(agency, year_items, tmp_path):
    summary = export(agency, tmp_path)
    with zipfile.ZipFile(summary.path) as z:
        raw = z.read("metadata.csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == [c.label for c in METADATA_COLUMNS]
    assert [r["索引号"] for r in rows] == [f"{CODE}/2025-00001", f"{CODE}/2025-00002"]
    row = rows[1]
    assert row["标题"] == TITLE and row["发布机构"] == agency.name and row["文号"] == "测工信〔2025〕12号"
    assert (row["成文日期"], row["发布日期"], row["实施日期"], row["废止日期"]) == ("2025-03-03", "2025-03-10",
                                                                               "2025-04-01", "")
    assert (row["文件类型"], row["体裁"], row["有效性"], row["公开方式"]) == ("行政规范性文件", "通知", "有效", "主动公开")
    assert row["主题分类"] == "工业、交通\\其他" and row["关键词"] == "技改；资金"
    assert row["发布渠道"] == "政府网站信息公开专栏、政务微信公众号"
    assert row["正文文件"] == f"bodies/{CODE}_2025-00002.pdf"
    assert row["附件文件"] == (f"attachments/{CODE}_2025-00002/附件1：资金申报表.pdf；"
                           f"attachments/{CODE}_2025-00002/附件1：资金申报表(2).pdf")
    assert rows[0]["附件文件"] == ""


@pytest.mark.django_db
def test_metadata_xml_is_well_formed_and_carries_codes(agency, year_items, tmp_path):
    summary = export(agency, tmp_path)
    with zipfile.ZipFile(summary.path) as z:
        root = ElementTree.fromstring(z.read("metadata.xml"))
    assert root.tag == "items" and root.get("agency") == agency.code and root.get("year") == "2025"
    assert root.get("count") == "2"
    items = root.findall("item")
    assert [i.get("index-number") for i in items] == [f"{CODE}/2025-00001", f"{CODE}/2025-00002"]
    item = items[1]
    assert item.findtext("title") == TITLE and item.findtext("publisher") == agency.name
    assert item.find("document-type").get("code") == "normative_document"
    assert item.findtext("document-type") == "行政规范性文件"
    assert [c.get("code") for c in item.find("channels")] == ["website", "wechat"]
    attachments = item.find("attachments").findall("attachment")
    assert [a.get("title") for a in attachments] == ["附件1：资金申报表.pdf"] * 2
    assert attachments[1].text == f"attachments/{CODE}_2025-00002/附件1：资金申报表(2).pdf"
    assert attachments[0].get("sha256") == hashlib.sha256(FAKE_PDF + b"one").hexdigest()


@pytest.mark.django_db
def test_metadata_is_deterministic(agency, year_items, tmp_path):
    first = export(agency, tmp_path)
    again = archive_export(agency=agency, year=2025, target=tmp_path / "again.zip")
    with zipfile.ZipFile(first.path) as a, zipfile.ZipFile(again.path) as b:
        assert a.namelist() == b.namelist()
        for name in ("metadata.csv", "metadata.xml"):
            assert a.read(name) == b.read(name)


@needs_poppler
@pytest.mark.django_db
def test_body_pdf_holds_title_index_number_and_metadata(agency, year_items, tmp_path, artifacts_dir):
    summary = export(agency, tmp_path)
    with zipfile.ZipFile(summary.path) as z:
        pdf = z.read(f"bodies/{CODE}_2025-00002.pdf")
    assert pdf.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    flat = "".join(text.split())
    for expected in (TITLE, f"{CODE}/2025-00002", "测工信〔2025〕12号", agency.name, "成文日期", "2025-03-03",
                     "有效性", "各有关企业", "附件1：资金申报表.pdf", "流程图"):
        assert expected in flat
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "595.276 x 841.89" in info or "595.28 x 841.89" in info  # A4
    xmp = subprocess.run(["pdfinfo", "-meta", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="B"' in xmp
    (artifacts_dir / "archive-body.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile",
                    str(artifacts_dir / "archive-body.pdf"), str(artifacts_dir / "archive-body")], check=True)
    assert (artifacts_dir / "archive-body.png").stat().st_size > 10_000


def test_the_fetcher_refuses_everything_but_data_urls():
    fetcher = refusing_fetcher()
    for url in ("file:///etc/hostname", "https://example.invalid/a.png", "http://127.0.0.1/"):
        with pytest.raises(ValueError, match="档案包不加载外部资源"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"
    assert fetcher.refused == 3


def test_body_html_escapes_metadata_and_sanitizes_the_body():
    item = Item(title="<b>标题</b>", index_number="x/1", formed_on=date(2025, 1, 2), validity=Validity.VALID,
                body='<p onclick="x()">正文</p><script>alert(1)</script>')
    page = body_html(item, agency=type("A", (), {"name": "机关&局"})(), attachment_titles=["<a>.pdf"])
    assert "&lt;b&gt;标题&lt;/b&gt;" in page and "机关&amp;局" in page and "&lt;a&gt;.pdf" in page
    assert "<script>" not in page and "onclick" not in page


@pytest.mark.django_db
def test_an_item_without_body_gets_a_pdf_pointing_to_its_attachments(agency, media, tmp_path):
    item = published(agency, "a/2025-1", "只有附件的信息", date(2025, 6, 1), body="")
    attach(item, "表.xlsx", b"PK-not-really", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    summary = export(agency, tmp_path)
    assert summary.items == 1 and archive_verify(summary.path) == []
    with zipfile.ZipFile(summary.path) as z:
        assert "attachments/a_2025-1/表.xlsx" in z.namelist()


@pytest.mark.django_db
def test_a_missing_attachment_file_stops_the_export_and_leaves_nothing(agency, year_items, tmp_path):
    attachment = Attachment.objects.filter(item=year_items[1]).first()
    attachment.file.storage.delete(attachment.file.name)
    with pytest.raises(ArchiveError, match="附件文件缺失"):
        export(agency, tmp_path)
    assert list((tmp_path / "out").iterdir()) == []


@pytest.mark.django_db
def test_a_changed_attachment_file_stops_the_export(agency, year_items, tmp_path):
    attachment = Attachment.objects.filter(item=year_items[1]).first()
    with open(attachment.file.path, "ab") as f:
        f.write(b"x")
    Attachment.objects.filter(pk=attachment.pk).update(size=attachment.size + 1)
    with pytest.raises(ArchiveError, match="SHA-256 不符"):
        export(agency, tmp_path)


@pytest.mark.django_db
def test_an_empty_year_is_a_valid_archive(agency, media, tmp_path):
    summary = export(agency, tmp_path, year=2019)
    assert summary.items == 0 and summary.files == 2
    assert archive_verify(summary.path) == []


# --- verify -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_verify_passes_on_the_exported_archive(agency, year_items, tmp_path):
    summary = export(agency, tmp_path)
    result = archive_inspect(summary.path)
    assert result.problems == [] and result.files == 6 and not result.fatal


@pytest.mark.django_db
def test_verify_catches_one_flipped_byte(agency, year_items, tmp_path):
    summary = export(agency, tmp_path)
    name = f"bodies/{CODE}_2025-00002.pdf"
    damaged = rewrite(summary.path, tmp_path / "damaged.zip", change=(name, flip_one_byte))
    assert archive_verify(damaged) == [f"文件内容不一致：{name}（SHA-256 不符）"]


@pytest.mark.django_db
def test_verify_catches_a_missing_and_an_extra_file(agency, year_items, tmp_path):
    summary = export(agency, tmp_path)
    missing = rewrite(summary.path, tmp_path / "missing.zip", drop="metadata.xml")
    assert archive_verify(missing) == ["缺少文件：metadata.xml"]
    extra = rewrite(summary.path, tmp_path / "extra.zip", add=("bodies/未登记.pdf", b"%PDF"))
    assert archive_verify(extra) == ["多余文件：bodies/未登记.pdf"]
    truncated = rewrite(summary.path, tmp_path / "truncated.zip", change=("metadata.csv", lambda d: d[:-3]))
    problems = archive_verify(truncated)
    assert len(problems) == 1 and problems[0].startswith("文件大小不一致：metadata.csv（清单 ")


@pytest.mark.django_db
def test_verify_rejects_what_is_not_a_transfer_zip(agency, year_items, tmp_path):
    not_zip = tmp_path / "not.zip"
    not_zip.write_bytes(b"%PDF-1.4 not a zip")
    assert archive_inspect(not_zip).fatal and archive_verify(not_zip) == [f"不是有效的 ZIP 文件：{not_zip}"]
    summary = export(agency, tmp_path)
    no_manifest = rewrite(summary.path, tmp_path / "no-manifest.zip", drop="manifest.json")
    assert archive_verify(no_manifest) == [f"档案包中没有 manifest.json：{no_manifest}"]
    bad_manifest = rewrite(summary.path, tmp_path / "bad-manifest.zip", change=("manifest.json", lambda d: d[:-9]))
    [problem] = archive_verify(bad_manifest)
    assert problem.startswith("manifest.json 无法解析：")


# --- the command --------------------------------------------------------------------------------

@pytest.mark.django_db
def test_command_export_and_verify_exit_0(agency, year_items, tmp_path, capsys):
    target = tmp_path / "2025.zip"
    code, out, err = run(["archive", "export", "--agency", agency.code, "--year", "2025", "-o", str(target)],
                         capsys)
    assert code == 0, err
    assert f"已导出 {agency.name} 2025 年度主动公开信息 2 条" in out and "已撤回的信息 1 条" in out
    code, out, err = run(["archive", "verify", str(target)], capsys)
    assert (code, out.strip(), err) == (0, "校验通过：共 6 个文件", "")


@pytest.mark.django_db
def test_command_verify_prints_each_problem_and_exits_1(agency, year_items, tmp_path, capsys):
    summary = export(agency, tmp_path)
    damaged = rewrite(summary.path, tmp_path / "damaged.zip", change=("metadata.csv", flip_one_byte),
                      drop="metadata.xml", add=("extra.txt", b"x"))
    code, out, err = run(["archive", "verify", str(damaged)], capsys)
    assert code == 1
    assert out.splitlines() == ["文件内容不一致：metadata.csv（SHA-256 不符）", "缺少文件：metadata.xml",
                                "多余文件：extra.txt"]
    assert "校验未通过：3 个问题" in err and "Traceback" not in err


@pytest.mark.django_db
def test_command_verify_not_a_zip_is_one_line_exit_1(agency, tmp_path, capsys):
    not_zip = tmp_path / "not.zip"
    not_zip.write_text("hello")
    code, out, err = run(["archive", "verify", str(not_zip)], capsys)
    assert code == 1 and out == ""
    assert err.strip().count("\n") == 0 and "不是有效的 ZIP 文件" in err and "Traceback" not in err


@pytest.mark.django_db
@pytest.mark.parametrize("argv,message", [
    (["archive", "export", "--agency", "nope", "--year", "2025", "-o", "x.zip"], "未知的机关代码：nope"),
    (["archive", "export", "--agency", "testcounty-gxj", "--year", "20x5", "-o", "x.zip"], "未知的年度：20x5"),
    (["archive", "export", "--agency", "testcounty-gxj", "--year", "2999", "-o", "x.zip"], "未知的年度：2999"),
    (["archive", "export", "--agency", "testcounty-gxj", "--year", "2025"], "请指定 --agency、--year 和 -o"),
    (["archive", "verify"], "请指定要校验的档案包"),
    (["archive", "verify", "/nonexistent/x.zip"], "找不到文件：/nonexistent/x.zip"),
])
def test_command_usage_errors_are_one_line_exit_2(agency, capsys, argv, message):
    code, out, err = run(argv, capsys)
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0 and message in err and "Traceback" not in err


@pytest.mark.django_db
def test_command_export_failure_is_one_line_exit_1(agency, year_items, tmp_path, capsys):
    code, _, err = run(["archive", "export", "--agency", agency.code, "--year", "2025", "-o",
                        str(tmp_path / "no-such-dir" / "x.zip")], capsys)
    assert code == 1 and err.strip().count("\n") == 0 and "无法写入" in err


@pytest.mark.django_db
def test_call_command_raises_with_returncode(agency):
    with pytest.raises(CommandError) as e:
        call_command("archive", "export", "--agency", "nope", "--year", "2025", "-o", "x.zip")
    assert e.value.returncode == 2
