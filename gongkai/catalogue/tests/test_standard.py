"""Standard catalogues (基层政务公开标准目录): readers for YAML, CSV and XLSX, the checks, import and apply."""

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from gongkai.agencies.models import Membership, Role
from gongkai.audit.models import AuditEntry
from gongkai.catalogue.models import CatalogueEntry, StandardCatalogue, StandardEntry
from gongkai.catalogue.standard import (
    SourceRow,
    StandardImportError,
    domain_from_name,
    import_standard,
    import_standard_file,
    normalize_tier,
    read_csv,
    read_standard,
    read_xlsx,
    read_yaml,
    standard_apply,
    standard_rows_clean,
)
from gongkai.audit.transitions import ActionForbidden
from gongkai.catalogue.tree import catalogue_tree, entry_create, tree_flatten

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "standard-industry.yaml"

HEADER = "一级事项,二级事项,公开内容（要素）,公开依据,公开时限,公开主体,公开渠道和载体,公开对象,公开方式,公开层级"
ROWS = [
    "政策文件,行政规范性文件,文件全文,《中华人民共和国政府信息公开条例》第二十条第（一）项,文件印发之日起20个工作日内,"
    "县工业和信息化局,政府网站,全社会,主动,县级",
    "政策文件,政策解读,解读材料,国办发〔2016〕80号,与政策文件同步发布,县工业和信息化局,政府网站,全社会,主动公开,县级",
    "项目管理,技术改造项目备案材料,备案证明,《企业投资项目核准和备案管理条例》,,县工业和信息化局,依申请答复,特定群体,依申请公开,"
    "县级、乡级",
]
CSV_TEXT = "\n".join([HEADER, *ROWS]) + "\n"

# A table as agencies publish it: a title row, a two-row header, ticks, 一级事项 merged (blank) below its first row.
TICKED_TABLE = [
    ["仙游县工业和信息化领域基层政务公开标准目录"],
    ["序号", "公开事项", "", "公开内容（要素）", "公开依据", "公开时限", "公开主体", "公开渠道和载体", "公开对象", "",
     "公开方式", "", "公开层级", ""],
    ["", "一级事项", "二级事项", "", "", "", "", "", "全社会", "特定群体", "主动", "依申请", "县级", "乡级"],
    ["1", "机构信息", "机构职能", "机构名称、职责", "条例第二十条第（二）项", "20个工作日内", "县工信局", "政府网站",
     "√", "", "√", "", "√", ""],
    ["2", "", "领导信息", "负责人姓名", "条例第二十条第（二）项", "", "县工信局", "政府网站", "√", "", "√", "", "√", "√"],
    ["3", "惠企政策", "惠企政策清单", "政策清单", "《优化营商环境条例》", "", "县工信局", "政府网站", "", "√", "", "√",
     "", "√"],
]


def csv_bytes(table, encoding="utf-8") -> bytes:
    return "\n".join(",".join(row) for row in table).encode(encoding) + b"\n"


def xlsx_bytes(table, merges=()) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in table:
        sheet.append([value or None for value in row])
    for cells in merges:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def person(agency, name, role, unit=None):
    user = User.objects.create_user(name, password="a-long-password-1")
    Membership.objects.create(user=user, agency=agency, role=role, unit=unit)
    return user


def names(source):
    return [(r.values.get("level1"), r.values.get("level2")) for r in source.rows]


class TestReaders:
    def test_yaml_fixture_reads_every_entry_with_its_line(self):
        source = read_standard(FIXTURE.read_bytes(), filename=FIXTURE.name)
        assert source.kind == "yaml"
        assert source.title == "县级工业和信息化领域基层政务公开标准目录"
        assert source.domain == "工业和信息化"
        assert 12 <= len(source.rows) <= 20
        cleaned = standard_rows_clean(source.rows)
        assert {row["audience"] for row in cleaned} == {"全社会", "特定群体"}
        assert {row["mode"] for row in cleaned} == {"主动", "依申请"}
        assert {row["tier"] for row in cleaned} == {"县级", "县级、乡级"}
        assert source.rows[0].line < source.rows[1].line

    def test_yaml_accepts_english_field_names_and_a_bare_list(self):
        source = read_yaml("- level1: 机构信息\n  name: 机构职能\n  audience: 全社会\n  mode: 主动公开\n  tier: 乡级\n")
        assert standard_rows_clean(source.rows) == [{
            "level1": "机构信息", "level2": "", "name": "机构职能", "subject": "", "channels": "", "content": "",
            "basis": "", "audience": "全社会", "mode": "主动", "tier": "乡级"}]

    @pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
    def test_csv_in_every_encoding_wps_and_excel_write(self, encoding):
        source = read_standard(CSV_TEXT.encode(encoding), filename="标准目录.csv")
        assert source.kind == "csv"
        assert names(source) == [("政策文件", "行政规范性文件"), ("政策文件", "政策解读"),
                                 ("项目管理", "技术改造项目备案材料")]
        assert [r.line for r in source.rows] == [2, 3, 4]
        cleaned = standard_rows_clean(source.rows)
        assert cleaned[1]["mode"] == "主动" and cleaned[2]["mode"] == "依申请"
        assert cleaned[2]["tier"] == "县级、乡级"

    def test_csv_and_xlsx_yield_the_same_dicts(self):
        table = [HEADER.split(","), *(row.split(",") for row in ROWS)]
        from_csv = read_csv(csv_bytes(table, "gbk"))
        from_xlsx = read_xlsx(xlsx_bytes(table))
        assert [r.values for r in from_csv.rows] == [r.values for r in from_xlsx.rows]
        assert standard_rows_clean(from_csv.rows) == standard_rows_clean(from_xlsx.rows)

    def test_published_layout_with_title_two_row_header_and_ticks(self):
        source = read_csv(csv_bytes(TICKED_TABLE, "gbk"))
        assert source.title == "仙游县工业和信息化领域基层政务公开标准目录"
        assert domain_from_name(source.title) == "工业和信息化"
        cleaned = standard_rows_clean(source.rows)
        assert [(r["level1"], r["name"], r["audience"], r["mode"], r["tier"]) for r in cleaned] == [
            ("机构信息", "机构职能", "全社会", "主动", "县级"),
            ("机构信息", "领导信息", "全社会", "主动", "县级、乡级"),
            ("惠企政策", "惠企政策清单", "特定群体", "依申请", "乡级"),
        ]
        assert [r.line for r in source.rows] == [4, 5, 6]

    def test_xlsx_with_merged_header_and_merged_level1(self):
        data = xlsx_bytes(TICKED_TABLE, merges=["A1:N1", "B2:C2", "I2:J2", "K2:L2", "M2:N2", "D2:D3", "B4:B5"])
        source = read_standard(data, filename="目录.xlsx")
        assert source.kind == "xlsx"
        cleaned = standard_rows_clean(source.rows)
        assert [r["level1"] for r in cleaned] == ["机构信息", "机构信息", "惠企政策"]
        assert cleaned[0]["content"] == "机构名称、职责"

    def test_xlsx_is_recognised_by_content_whatever_its_name(self):
        table = [HEADER.split(","), ROWS[0].split(",")]
        assert read_standard(xlsx_bytes(table), filename="upload.bin").kind == "xlsx"

    def test_old_xls_is_refused_with_advice(self):
        with pytest.raises(StandardImportError, match="另存为 .xlsx"):
            read_standard(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, filename="目录.xls")

    def test_a_file_without_the_header_is_refused(self):
        with pytest.raises(StandardImportError, match="未找到表头"):
            read_csv("名称,内容\n甲,乙\n".encode())

    def test_format_is_sniffed_without_an_extension(self):
        assert read_standard(CSV_TEXT.encode("gbk"), filename="upload").kind == "csv"
        assert read_standard(FIXTURE.read_bytes(), filename="upload").kind == "yaml"

    @pytest.mark.parametrize("raw,expected", [
        ("县级", "县级"), ("乡级", "乡级"), ("县级、乡级", "县级、乡级"), ("乡级,县级", "县级、乡级"),
        ("县级/乡级", "县级、乡级"), ("县、乡", "县级、乡级"), ("市级", None), ("县级、市级", None),
    ])
    def test_tier_spellings(self, raw, expected):
        assert normalize_tier(raw) == expected


class TestErrors:
    def errors(self, data: bytes, filename: str) -> list[str]:
        with pytest.raises(StandardImportError) as e:
            standard_rows_clean(read_standard(data, filename=filename).rows)
        return e.value.errors

    def test_csv_errors_name_the_line_and_column(self):
        bad = [HEADER, ROWS[0], ROWS[1].replace("全社会", "社会公众"), ",,,,,,,,,", ROWS[2].replace("依申请公开", "公示")]
        errors = self.errors("\n".join(bad).encode("gbk"), "目录.csv")
        assert "第3行「公开对象」：应为“全社会”或“特定群体”（现为“社会公众”）" in errors
        assert "第5行「公开方式」：应为“主动”或“依申请”（现为“公示”）" in errors
        assert len(errors) == 2  # the blank line 4 is skipped, and counted

    def test_missing_name_and_bad_tier(self):
        bad = [HEADER, ROWS[0].replace("行政规范性文件", ""), ROWS[1].replace("县级", "市级")]
        errors = self.errors("\n".join(bad).encode(), "目录.csv")
        assert errors == ["第2行「二级事项」：缺少公开事项（或二级事项）",
                          "第3行「公开层级」：应为“县级”“乡级”或“县级、乡级”（现为“市级”）"]

    def test_duplicate_entries_name_the_first_line(self):
        errors = self.errors("\n".join([HEADER, ROWS[0], ROWS[1], ROWS[0]]).encode(), "目录.csv")
        assert errors == ["第4行「二级事项」：与第2行重复（同一一级事项下的公开事项不能重名）"]

    def test_xlsx_errors_name_the_cell(self):
        table = [HEADER.split(","), ROWS[0].split(","), ROWS[1].replace("全社会", "公众").split(",")]
        errors = self.errors(xlsx_bytes(table), "目录.xlsx")
        assert errors == ["第3行「公开对象」（H3）：应为“全社会”或“特定群体”（现为“公众”）"]

    def test_ticks_both_boxes_or_a_stray_mark(self):
        table = [row[:] for row in TICKED_TABLE]
        table[3][9] = "√"  # 全社会 and 特定群体
        table[5][10] = "?"  # 主动
        errors = self.errors(csv_bytes(table), "目录.csv")
        assert errors == ["第4行「公开对象」：只能勾选“全社会”或“特定群体”之一", "第6行「主动」：应打“√”或留空"]

    def test_yaml_errors_name_the_line(self):
        text = FIXTURE.read_text(encoding="utf-8").replace("公开对象: 特定群体", "公开对象: 企业", 1)
        line = next(i for i, ln in enumerate(text.splitlines(), 1) if "公开对象: 企业" in ln)
        errors = self.errors(text.encode(), "目录.yaml")
        assert len(errors) == 1
        entry_line = max(i for i, ln in enumerate(text.splitlines()[:line], 1) if ln.startswith("  - "))
        assert errors[0].startswith(f"第{entry_line}行「公开对象」：应为“全社会”或“特定群体”")

    def test_rows_given_as_source_rows(self):
        rows = [SourceRow(line=7, values={"name": "甲", "audience": "群众"}, labels={"audience": "公开对象"})]
        with pytest.raises(StandardImportError, match="第7行「公开对象」"):
            standard_rows_clean(rows)

    def test_yaml_syntax_error(self):
        with pytest.raises(StandardImportError, match="YAML 格式错误：第3行"):
            read_yaml("- 二级事项: 甲\n  公开对象: 全社会\n - 二级事项: 乙\n")


@pytest.mark.django_db
class TestImport:
    def test_import_saves_entries_in_order(self):
        catalogue = import_standard_file(data=FIXTURE.read_bytes(), filename=FIXTURE.name)
        assert catalogue.name == "县级工业和信息化领域基层政务公开标准目录"
        assert catalogue.domain == "工业和信息化" and catalogue.source == FIXTURE.name
        entries = list(catalogue.entries.all())
        assert entries[0].level1 == "机构信息" and entries[0].name == "机构职能"
        assert [e.position for e in entries] == list(range(1, len(entries) + 1))
        assert AuditEntry.objects.filter(action="standard.import", target_id=str(catalogue.pk)).count() == 1

    def test_nothing_is_saved_when_any_row_fails(self):
        bad = "\n".join([HEADER, ROWS[0], ROWS[1].replace("主动公开", "公示")]).encode()
        with pytest.raises(StandardImportError, match="第3行「公开方式」"):
            import_standard_file(data=bad, filename="目录.csv", name="工业")
        assert not StandardCatalogue.objects.exists() and not StandardEntry.objects.exists()

    def test_a_failed_reimport_keeps_the_previous_entries(self):
        import_standard(source_name="a.csv", rows=read_csv(CSV_TEXT).rows, name="工业")
        bad = "\n".join([HEADER, ROWS[0].replace("全社会", "x")])
        with pytest.raises(StandardImportError):
            import_standard(source_name="b.csv", rows=read_csv(bad).rows, name="工业")
        assert StandardEntry.objects.count() == 3

    def test_reimport_is_idempotent_and_replaces_entries_in_place(self):
        first = import_standard(source_name="a.csv", rows=read_csv(CSV_TEXT).rows, name="工业")
        ids = list(first.entries.values_list("pk", flat=True))
        again = import_standard(source_name="a.csv", rows=read_csv(CSV_TEXT).rows, name="工业")
        assert again.pk == first.pk and list(again.entries.values_list("pk", flat=True)) == ids
        changed = "\n".join([HEADER, ROWS[1].replace("解读材料", "解读材料（图解）"), ROWS[0]])
        import_standard(source_name="b.csv", rows=read_csv(changed).rows, name="工业")
        entries = list(first.entries.all())
        assert [e.name for e in entries] == ["政策解读", "行政规范性文件"]
        assert [e.pk for e in entries] == [ids[1], ids[0]]  # kept, so agencies' links survive
        assert entries[0].content == "解读材料（图解）"
        assert StandardCatalogue.objects.count() == 1

    def test_plain_dicts_with_chinese_keys(self):
        catalogue = import_standard(source_name="", name="手工", rows=[
            {"一级事项": "机构信息", "公开事项": "机构职能", "公开对象": "全社会"}])
        entry = catalogue.entries.get()
        assert (entry.level1, entry.name, entry.audience) == ("机构信息", "机构职能", "全社会")
        assert entry.time_limit == "信息形成或者变更之日起20个工作日内"  # the model's default


@pytest.fixture
def standard(db):
    return import_standard_file(data=FIXTURE.read_bytes(), filename=FIXTURE.name)


def shape(agency):
    return [(n.depth, n.entry.name) for n in tree_flatten(catalogue_tree(agency))]


@pytest.mark.django_db
class TestApply:
    def test_builds_one_node_per_level1_with_the_entries_below(self, agency, standard):
        admin = person(agency, "admin", Role.AGENCY_ADMIN)
        created = standard_apply(user=admin, agency=agency, standard=standard)
        levels1 = list(dict.fromkeys(standard.entries.values_list("level1", flat=True)))
        assert len(created) == len(levels1) + standard.entries.count()
        roots = catalogue_tree(agency)
        assert [n.entry.name for n in roots] == levels1
        first = roots[0].children[0].entry
        source = standard.entries.first()
        assert first.standard_entry == source
        assert (first.name, first.content, first.basis, first.audience, first.mode, first.tier) == (
            source.name, source.content, source.basis, source.audience, source.mode, source.tier)
        assert roots[0].entry.standard_entry is None

    def test_applying_twice_gives_the_same_tree(self, agency, standard):
        admin = person(agency, "admin", Role.AGENCY_ADMIN)
        standard_apply(user=admin, agency=agency, standard=standard)
        before = shape(agency)
        assert standard_apply(user=admin, agency=agency, standard=standard) == []
        assert shape(agency) == before
        assert CatalogueEntry.objects.filter(agency=agency).count() == len(before)

    def test_existing_entries_are_kept_and_new_ones_appended(self, agency, standard):
        publisher = person(agency, "publisher", Role.PUBLISHER)
        own = entry_create(user=publisher, agency=agency, data={"name": "其他"})
        policy = entry_create(user=publisher, agency=agency, data={"name": "政策文件"})
        entry_create(user=publisher, agency=agency, parent=policy, data={"name": "政策解读"})
        standard_apply(user=publisher, agency=agency, standard=standard)
        roots = catalogue_tree(agency)
        assert roots[0].entry == own and roots[1].entry == policy
        assert [c.entry.name for c in roots[1].children] == ["政策解读", "行政规范性文件"]

    def test_under_an_entry(self, agency, standard):
        admin = person(agency, "admin", Role.AGENCY_ADMIN)
        topic = entry_create(user=admin, agency=agency, data={"name": "工业和信息化"})
        standard_apply(user=admin, agency=agency, standard=standard, under=topic)
        standard_apply(user=admin, agency=agency, standard=standard, under=topic)
        roots = catalogue_tree(agency)
        assert len(roots) == 1 and roots[0].children[0].entry.name == "机构信息"

    def test_only_admins_and_publishers(self, agency, other_agency, standard):
        provider = person(agency, "provider", Role.PROVIDER)
        outsider = person(other_agency, "outsider", Role.AGENCY_ADMIN)
        for user in (provider, outsider):
            with pytest.raises(ActionForbidden):
                standard_apply(user=user, agency=agency, standard=standard)
        assert not CatalogueEntry.objects.exists()

    def test_is_audited(self, agency, standard):
        admin = person(agency, "admin", Role.AGENCY_ADMIN)
        created = standard_apply(user=admin, agency=agency, standard=standard)
        entry = AuditEntry.objects.get(action="catalogue.apply_standard")
        assert (entry.actor, entry.agency, entry.data["created"]) == (admin, agency, len(created))
