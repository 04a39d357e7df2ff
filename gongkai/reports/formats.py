"""The two national annual-report formats, as data (DOMAIN.md §2).

Every table, row and column is declared here once, with its canonical code,
its printed Chinese label and where its figures come from. The engine
(``compute.py``), the checks (``checks.py``) and every renderer read these
declarations; none of them names a row or a column of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Iterator, Mapping

SCHEMA_ID = "gongkai.annual-report/1"

COUNT = "count"  # a non-negative integer
CHANGE = "change"  # an integer that may be negative (本年增/减)
AMOUNT = "amount"  # a decimal in 万元


@dataclass(frozen=True)
class Column:
    code: str
    label: str
    kind: str = COUNT


# --- where a cell's figure comes from ---------------------------------------


@dataclass(frozen=True)
class ItemMeasure:
    """A count of the agency's published catalogue items of one document type.

    ``measure`` is one of ``formed`` (成文 in the year), ``published`` (发布 in
    the year), ``abolished`` (废止 or 失效 in the year), ``in_force`` (formed
    by the year's end and not abolished by then) and ``published_in_force``
    (published by the year's end and not abolished by then).
    """

    document_type: str
    measure: str


@dataclass(frozen=True)
class FigureField:
    """A column of ``AdministrativeFigures``, entered or imported from other systems."""

    field: str


@dataclass(frozen=True)
class ApplicationCount:
    """Applications by applicant type: ``period`` is ``new_received``,
    ``carried_over``, ``concluded`` or ``carried_forward`` (DOMAIN.md §2.5);
    concluded rows count the given outcomes (all outcomes when empty)."""

    period: str
    outcomes: tuple[str, ...] = ()


@dataclass(frozen=True)
class AppealCount:
    kind: str


Source = ItemMeasure | FigureField | ApplicationCount | AppealCount


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    source: object = None
    # The printed headers enclosing the label, outermost first, e.g.
    # ("三、本年度办理结果", "（三）不予公开") for "1.属于国家秘密".
    groups: tuple[str, ...] = ()
    # Table 二 prints a header per group of rows; its rows carry their own
    # columns and the legal provision (第二十条第（一）项) heading them.
    columns: tuple[Column, ...] = ()
    section: str = ""


@dataclass(frozen=True)
class Table:
    code: str
    number: str
    title: str
    rows: tuple[Row, ...]
    # Shared columns (tables 三 and 四); table 二's rows carry their own.
    columns: tuple[Column, ...] = ()
    column_groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    note: str = ""

    def row_columns(self, row: Row) -> tuple[Column, ...]:
        return row.columns or self.columns

    def cells(self) -> Iterator[tuple[Row, Column, str]]:
        for row in self.rows:
            for column in self.row_columns(row):
                yield row, column, f"{self.code}.{row.code}.{column.code}"

    def row(self, code: str) -> Row:
        for row in self.rows:
            if row.code == code:
                return row
        raise KeyError(code)


@dataclass(frozen=True)
class ReportFormat:
    code: str
    name: str
    basis: str
    first_year: int
    last_year: int | None
    tables: tuple[Table, ...]
    rules: tuple[str, ...]
    sections: tuple[str, ...] = field(default=())

    def table(self, code: str) -> Table:
        for table in self.tables:
            if table.code == code:
                return table
        raise KeyError(code)

    def cells(self) -> Iterator[tuple[Table, Row, Column, str]]:
        for table in self.tables:
            for row, column, code in table.cells():
                yield table, row, column, code

    def cell_codes(self) -> list[str]:
        return list(_cell_index(self)[0])

    def cell_kinds(self) -> Mapping[str, str]:
        """Each cell's kind, read only (one mapping shared by every caller, never copied)."""
        return _cell_index(self)[1]

    def covers(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)


# The formats are constants: their cell lists are derived once (the engine asks for them per agency and row).
_CELL_INDEX: dict[int, tuple] = {}


def _cell_index(fmt: ReportFormat) -> tuple[tuple[str, ...], Mapping[str, str]]:
    index = _CELL_INDEX.get(id(fmt))
    if index is None or index[0] is not fmt:
        cells = list(fmt.cells())
        index = (fmt, tuple(code for *_, code in cells),
                 MappingProxyType({code: column.kind for _, _, column, code in cells}))
        _CELL_INDEX[id(fmt)] = index
    return index[1], index[2]


# --- table 二: proactive disclosure -----------------------------------------

ART20_1 = "第二十条第（一）项"
ART20_5 = "第二十条第（五）项"
ART20_6 = "第二十条第（六）项"
ART20_8 = "第二十条第（八）项"
ART20_9 = "第二十条第（九）项"

REGULATION = "regulation"
NORMATIVE_DOCUMENT = "normative_document"


_ITEMS_2019 = (
    Column("new_made", "本年新制作数量"),
    Column("new_published", "本年新公开数量"),
    Column("total_published", "对外公开总数量"),
)


_MANAGEMENT_2019 = (
    Column("previous_year_items", "上一年项目数量"),
    Column("change", "本年增/减", CHANGE),
    Column("decisions", "处理决定数量"),
)

# Per-row sources for item counts: the column code maps to a measure.
ITEM_MEASURES = {
    "new_made": "formed",
    "new_published": "published",
    "total_published": "published_in_force",
    "issued": "formed",
    "abolished": "abolished",
    "in_force": "in_force",
}

PROACTIVE_2019 = Table(
    code="proactive",
    number="二",
    title="主动公开政府信息情况",
    rows=(
        Row("regulations", "规章", ItemMeasure(REGULATION, ""), columns=_ITEMS_2019, section=ART20_1),
        Row("normative_documents", "规范性文件", ItemMeasure(NORMATIVE_DOCUMENT, ""),
            columns=_ITEMS_2019, section=ART20_1),
        Row("licensing", "行政许可", FigureField(""), columns=_MANAGEMENT_2019, section=ART20_5),
        Row("other_management_services", "其他对外管理服务事项", FigureField(""), columns=_MANAGEMENT_2019,
            section=ART20_5),
        Row("penalty", "行政处罚", FigureField(""), columns=_MANAGEMENT_2019, section=ART20_6),
        Row("coercion", "行政强制", FigureField(""), columns=_MANAGEMENT_2019, section=ART20_6),
        Row("fees", "行政事业性收费", FigureField(""),
            columns=(Column("previous_year_items", "上一年项目数量"), Column("change", "本年增/减", CHANGE)),
            section=ART20_8),
        Row("procurement", "政府集中采购", FigureField(""),
            columns=(Column("projects", "采购项目数量"), Column("total_amount", "采购总金额", AMOUNT)),
            section=ART20_9),
    ),
)

_ITEMS_2021 = (
    Column("issued", "本年制发件数"),
    Column("abolished", "本年废止件数"),
    Column("in_force", "现行有效件数"),
)
_DECISIONS_2021 = (Column("decisions", "本年处理决定数量"),)

PROACTIVE_2021 = Table(
    code="proactive",
    number="二",
    title="主动公开政府信息情况",
    rows=(
        Row("regulations", "规章", ItemMeasure(REGULATION, ""), columns=_ITEMS_2021, section=ART20_1),
        Row("normative_documents", "行政规范性文件", ItemMeasure(NORMATIVE_DOCUMENT, ""), columns=_ITEMS_2021,
            section=ART20_1),
        Row("licensing", "行政许可", FigureField(""), columns=_DECISIONS_2021, section=ART20_5),
        Row("penalty", "行政处罚", FigureField(""), columns=_DECISIONS_2021, section=ART20_6),
        Row("coercion", "行政强制", FigureField(""), columns=_DECISIONS_2021, section=ART20_6),
        Row("fees", "行政事业性收费", FigureField(""), columns=(Column("amount", "本年收费金额（单位：万元）", AMOUNT),),
            section=ART20_8),
    ),
)


def cell_source(row: Row, column: Column) -> object:
    """The source of one cell of table 二, derived from the row's source kind."""
    if isinstance(row.source, ItemMeasure):
        return ItemMeasure(row.source.document_type, ITEM_MEASURES[column.code])
    if isinstance(row.source, FigureField):
        return FigureField(f"{row.code}_{column.code}")
    return row.source


# --- table 三: applications -------------------------------------------------

APPLICANT_COLUMNS = (
    Column("natural_person", "自然人"),
    Column("commercial_enterprise", "商业企业"),
    Column("research_institution", "科研机构"),
    Column("social_welfare_organization", "社会公益组织"),
    Column("legal_service_agency", "法律服务机构"),
    Column("other_organization", "其他"),
    Column("total", "总计"),
)
APPLICANT_TYPES = tuple(c.code for c in APPLICANT_COLUMNS if c.code != "total")

RESULTS = "三、本年度办理结果"
WITHHELD = "（三）不予公开"
UNAVAILABLE = "（四）无法提供"
NOT_PROCESSED = "（五）不予处理"
OTHER = "（六）其他处理"

OTHER_OUTCOMES_2021 = ("other.no_correction", "other.unpaid_fee", "other.other")


def _outcome(code: str, label: str, *groups: str, outcomes: tuple[str, ...] | None = None) -> Row:
    return Row(code, label, ApplicationCount("concluded", outcomes or (code,)), groups=(RESULTS, *groups))


_OUTCOME_ROWS_COMMON = (
    _outcome("disclosed", "（一）予以公开"),
    _outcome("partially_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    _outcome("withheld.state_secret", "1.属于国家秘密", WITHHELD),
    _outcome("withheld.prohibited_by_law", "2.其他法律行政法规禁止公开", WITHHELD),
    _outcome("withheld.security_stability", "3.危及“三安全一稳定”", WITHHELD),
    _outcome("withheld.third_party_rights", "4.保护第三方合法权益", WITHHELD),
    _outcome("withheld.internal_affairs", "5.属于三类内部事务信息", WITHHELD),
    _outcome("withheld.process_information", "6.属于四类过程性信息", WITHHELD),
    _outcome("withheld.enforcement_files", "7.属于行政执法案卷", WITHHELD),
    _outcome("withheld.administrative_query", "8.属于行政查询事项", WITHHELD),
    _outcome("unavailable.not_held", "1.本机关不掌握相关政府信息", UNAVAILABLE),
    _outcome("unavailable.needs_creation", "2.没有现成信息需要另行制作", UNAVAILABLE),
    _outcome("unavailable.still_unclear", "3.补正后申请内容仍不明确", UNAVAILABLE),
    _outcome("not_processed.petition", "1.信访举报投诉类申请", NOT_PROCESSED),
    _outcome("not_processed.repeated", "2.重复申请", NOT_PROCESSED),
    _outcome("not_processed.publication", "3.要求提供公开出版物", NOT_PROCESSED),
    _outcome("not_processed.excessive", "4.无正当理由大量反复申请", NOT_PROCESSED),
    _outcome("not_processed.confirmation", "5.要求行政机关确认或重新出具已获取信息", NOT_PROCESSED),
)

_OTHER_ROWS_2019 = (_outcome("other", OTHER, outcomes=OTHER_OUTCOMES_2021),)
_OTHER_ROWS_2021 = (
    _outcome("other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", OTHER),
    _outcome("other.unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", OTHER),
    _outcome("other.other", "3.其他", OTHER),
)

# Every outcome code a record may carry, in printed order (2021 granularity).
OUTCOME_CODES = tuple(r.code for r in _OUTCOME_ROWS_COMMON + _OTHER_ROWS_2021)

A1_NOTE = "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和"


def _applications_table(other_rows: tuple[Row, ...]) -> Table:
    return Table(
        code="applications",
        number="三",
        title="收到和处理政府信息公开申请情况",
        columns=APPLICANT_COLUMNS,
        column_groups=(
            ("申请人情况", ()),
            ("法人或其他组织", APPLICANT_TYPES[1:]),
        ),
        note=A1_NOTE,
        rows=(
            Row("new_received", "一、本年新收政府信息公开申请数量", ApplicationCount("new_received")),
            Row("carried_over", "二、上年结转政府信息公开申请数量", ApplicationCount("carried_over")),
            *_OUTCOME_ROWS_COMMON,
            *other_rows,
            Row("total_handled", "（七）总计", ApplicationCount("concluded"), groups=(RESULTS,)),
            Row("carried_forward", "四、结转下年度继续办理", ApplicationCount("carried_forward")),
        ),
    )


APPLICATIONS_2019 = _applications_table(_OTHER_ROWS_2019)
APPLICATIONS_2021 = _applications_table(_OTHER_ROWS_2021)

# Rows that are outcomes (A2 sums them into total_handled).
NON_OUTCOME_ROWS = ("new_received", "carried_over", "total_handled", "carried_forward")

# --- table 四: appeals ---------------------------------------------------

APPEAL_COLUMNS = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计"),
)

APPEALS = Table(
    code="appeals",
    number="四",
    title="政府信息公开行政复议、行政诉讼情况",
    columns=APPEAL_COLUMNS,
    rows=(
        Row("reconsideration", "行政复议", AppealCount("reconsideration")),
        Row("litigation_direct", "未经复议直接起诉", AppealCount("litigation_direct"), groups=("行政诉讼",)),
        Row("litigation_after_reconsideration", "复议后起诉", AppealCount("litigation_after_reconsideration"),
            groups=("行政诉讼",)),
    ),
)

SECTIONS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)

FORMAT_2019 = ReportFormat(
    code="2019",
    name="2019年版年度报告格式",
    basis="国办公开办函〔2019〕60号",
    first_year=2019,
    last_year=2020,
    tables=(PROACTIVE_2019, APPLICATIONS_2019, APPEALS),
    rules=("A1", "A2", "A3", "A4", "R1", "P2", "N1", "T1"),
    sections=SECTIONS,
)

FORMAT_2021 = ReportFormat(
    code="2021",
    name="2021年版年度报告格式",
    basis="国办公开办函〔2021〕30号",
    first_year=2021,
    last_year=None,
    tables=(PROACTIVE_2021, APPLICATIONS_2021, APPEALS),
    rules=("A1", "A2", "A3", "A4", "R1", "P1", "N1", "T1"),
    sections=SECTIONS,
)

FORMATS = {f.code: f for f in (FORMAT_2019, FORMAT_2021)}

# The first report year under the 2019 条例.
FIRST_YEAR = 2019


class UnknownYear(ValueError):
    pass


def format_for_year(year: int) -> ReportFormat:
    for fmt in FORMATS.values():
        if fmt.covers(year):
            return fmt
    raise UnknownYear(f"{year}年不在年度报告格式的适用范围内（{FIRST_YEAR}年起）。")
