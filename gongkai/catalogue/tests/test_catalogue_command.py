"""``gongkai catalogue`` as an operator runs it: exit codes, one Chinese line per error, idempotent runs."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from gongkai.catalogue.models import CatalogueEntry, Item, ItemStatus, StandardCatalogue
from gongkai.catalogue.standard import import_standard_file
from gongkai.testing import run_console

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "standard-industry.yaml"
STANDARD = "县级工业和信息化领域基层政务公开标准目录"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_connection(monkeypatch):
    """``run_from_argv`` closes the database connections when a command ends; on PostgreSQL that would
    end the test's transaction, so the checks after a command could not read what it wrote."""
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    return run_console(["catalogue", *argv], capsys)


def one_line_error(err: str) -> str:
    assert err.strip().count("\n") == 0 and "Traceback" not in err
    return err.strip()


@pytest.fixture
def standard(db):
    return import_standard_file(data=FIXTURE.read_bytes(), filename=FIXTURE.name)


class TestImportStandard:
    def test_imports_the_fixture_and_again_idempotently(self, capsys):
        for _ in range(2):
            code, out, err = run(["import-standard", str(FIXTURE)], capsys)
            assert (code, err) == (0, "")
            assert out == f"已导入标准目录「{STANDARD}」：20 个事项。\n"
        assert StandardCatalogue.objects.get().entries.count() == 20

    def test_name_option_and_a_gbk_csv(self, capsys, tmp_path):
        path = tmp_path / "工信.csv"
        path.write_bytes("一级事项,二级事项,公开对象,公开方式,公开层级\n机构信息,机构职能,全社会,主动,县级\n".encode("gbk"))
        code, out, _ = run(["import-standard", str(path), "--name", "工业和信息化"], capsys)
        assert code == 0 and out == "已导入标准目录「工业和信息化」：1 个事项。\n"

    def test_bad_rows_exit_1_with_one_line_and_nothing_saved(self, capsys, tmp_path):
        path = tmp_path / "bad.csv"
        path.write_bytes("一级事项,二级事项,公开对象,公开方式\n机构信息,机构职能,公众,主动\n机构信息,领导信息,全社会,公示\n"
                         .encode("gbk"))
        code, out, err = run(["import-standard", str(path)], capsys)
        assert (code, out) == (1, "")
        line = one_line_error(err)
        assert "第2行「公开对象」：应为“全社会”或“特定群体”" in line and "第3行「公开方式」" in line
        assert not StandardCatalogue.objects.exists()

    def test_many_errors_are_summarised(self, capsys, tmp_path):
        path = tmp_path / "bad.csv"
        rows = "".join(f"机构信息,事项{i},公众\n" for i in range(8))
        path.write_text("一级事项,二级事项,公开对象\n" + rows, encoding="utf-8")
        code, _, err = run(["import-standard", str(path)], capsys)
        assert code == 1 and one_line_error(err).endswith("……共 8 处错误")

    def test_missing_file_exits_2(self, capsys, tmp_path):
        code, out, err = run(["import-standard", str(tmp_path / "none.yaml")], capsys)
        assert (code, out) == (2, "") and "无法读取" in one_line_error(err)


class TestApply:
    def test_apply_twice(self, capsys, agency, standard):
        code, out, err = run(["apply", "--agency", agency.code, "--standard", STANDARD], capsys)
        total = CatalogueEntry.objects.filter(agency=agency).count()
        assert (code, err) == (0, "")
        assert out == f"已将「{STANDARD}」套用到{agency.name}：新增 {total} 个目录，目录共 {total} 个。\n"
        code, out, _ = run(["apply", "--agency", agency.code, "--standard", STANDARD], capsys)
        assert code == 0 and f"新增 0 个目录，目录共 {total} 个" in out

    def test_under_an_entry_by_name_or_path(self, capsys, agency, standard):
        topic = CatalogueEntry.objects.create(agency=agency, name="专题")
        CatalogueEntry.objects.create(agency=agency, parent=topic, name="工业")
        CatalogueEntry.objects.create(agency=agency, name="工业")
        code, _, err = run(["apply", "--agency", agency.code, "--standard", STANDARD, "--under", "工业"], capsys)
        assert code == 2 and "目录「工业」不止一个（专题/工业、工业）" in one_line_error(err)
        code, _, _ = run(["apply", "--agency", agency.code, "--standard", STANDARD, "--under", "专题/工业"], capsys)
        assert code == 0
        assert CatalogueEntry.objects.filter(parent__name="工业", parent__parent=topic, name="机构信息").exists()

    @pytest.mark.parametrize("argv,message", [
        (["--agency", "nowhere", "--standard", STANDARD], "未知的机关代码：nowhere"),
        (["--agency", "testcounty-gxj", "--standard", "不存在"], f"未找到标准目录：不存在（已导入：{STANDARD}）"),
        (["--agency", "testcounty-gxj", "--standard", STANDARD, "--under", "没有"], "的目录中没有「没有」"),
        (["--agency", "testcounty-gxj"], "请指定 --agency 和 --standard"),
    ])
    def test_usage_errors_exit_2(self, capsys, agency, standard, argv, message):
        code, out, err = run(["apply", *argv], capsys)
        assert (code, out) == (2, "") and message in one_line_error(err)
        assert not CatalogueEntry.objects.exists()


class TestPublishDue:
    def scheduled(self, agency, when):
        publisher = User.objects.create_user(f"publisher{when:%H%M}", password="a-long-password-1")
        return Item.objects.create(agency=agency, title="关于2025年工业企业技术改造专项资金申报的通知",
                                   formed_on=timezone.localdate() - timedelta(days=3), status=ItemStatus.SCHEDULED,
                                   scheduled_for=when, channels=["website"], published_by=publisher, body="<p>x</p>")

    def test_publishes_what_is_due_and_is_quiet_when_nothing_is(self, capsys, agency):
        due = self.scheduled(agency, timezone.now() - timedelta(minutes=5))
        later = self.scheduled(agency, timezone.now() + timedelta(days=1))
        code, out, err = run(["publish-due"], capsys)
        due.refresh_from_db()
        later.refresh_from_db()
        assert (code, err) == (0, "")
        assert due.status == ItemStatus.PUBLISHED and later.status == ItemStatus.SCHEDULED
        assert out == f"已发布 {due.index_number} {due.title}\n共发布 1 条到期的定时发布信息。\n"
        assert run(["publish-due"], capsys) == (0, "", "")  # cron: nothing due, nothing said
        assert run(["-v", "2", "publish-due"], capsys)[1] == "共发布 0 条到期的定时发布信息。\n"


class TestEmptyEntries:
    def test_lists_leaf_paths_and_a_summary(self, capsys, agency):
        policy = CatalogueEntry.objects.create(agency=agency, name="政策文件", position=1)
        documents = CatalogueEntry.objects.create(agency=agency, parent=policy, name="行政规范性文件", position=1)
        CatalogueEntry.objects.create(agency=agency, parent=policy, name="政策解读", position=2)
        Item.objects.create(agency=agency, entry=documents, title="甲", formed_on=date(2025, 1, 2),
                            status=ItemStatus.PUBLISHED, published_on=date(2025, 1, 10))
        code, out, _ = run(["empty-entries", "--agency", agency.code, "--year", "2025"], capsys)
        assert code == 0
        assert out == f"政策文件 / 政策解读\n{agency.name}2025年度：1 个末级目录没有已发布的信息。\n"
        code, out, _ = run(["empty-entries", "--agency", agency.code, "--year", "2024"], capsys)
        assert out.splitlines()[:2] == ["政策文件 / 行政规范性文件", "政策文件 / 政策解读"]

    def test_defaults_to_this_year(self, capsys, agency):
        code, out, _ = run(["empty-entries", "--agency", agency.code], capsys)
        assert code == 0 and f"{timezone.localdate().year}年度：0 个" in out

    @pytest.mark.parametrize("argv,message", [
        (["--agency", "testcounty-gxj", "--year", "二〇二五"], "年度格式有误：二〇二五"),
        (["--agency", "testcounty-gxj", "--year", "25"], "年度格式有误：25"),
        (["--agency", "nowhere"], "未知的机关代码：nowhere"),
        ([], "请指定 --agency"),
    ])
    def test_usage_errors_exit_2(self, capsys, agency, argv, message):
        code, out, err = run(["empty-entries", *argv], capsys)
        assert (code, out) == (2, "") and message in one_line_error(err)
