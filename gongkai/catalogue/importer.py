"""Bulk import of items an agency published before it used gongkai.

Reading and matching are separate steps (STYLE.md example 6): ``read_rows``
turns a CSV (UTF-8 with or without BOM, or GB18030 as Excel and WPS save
"CSV" on Chinese Windows) or an XLSX (first sheet) into dicts keyed by the
header as written, each with its spreadsheet line under ``LINE``;
``ItemMatcher`` checks one row and builds an unsaved, published ``Item``;
``items_import`` checks every row first and writes only if the whole file
is good — or, with ``skip_bad``, the good rows — in one transaction.

The headers are those of the archive's ``metadata.csv`` (Chinese) or the
model's field names (English). 正文文件 and 附件文件 are accepted so that a
catalogue exported by ``gongkai archive export`` can be read back, but files
are not imported from a spreadsheet: attachments are uploaded separately.
"""

from __future__ import annotations

import csv
import html
import io
import re
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.agencies.workdays import WorkingDayCalendar, working_day_calendar
from gongkai.audit.services import audit_record

from .archive import METADATA_COLUMNS
from .models import DisclosureMode, DocumentType, Genre, IndexSequence, Item, ItemStatus, PublicationChannel, Validity
from .sanitize import clean_body
from .workflow import index_number_assign, lateness

LINE = "_line"  # the key readers add: the row's line number as the spreadsheet shows it (header = 1)

# Column names: the archive's Chinese headers, the model's field names, and a body column.
HEADERS = {c.label: c.field for c in METADATA_COLUMNS} | {"正文": "body"}
FIELDS = {c.field for c in METADATA_COLUMNS} | {"body"}
ENGLISH_ALIASES = {"publisher": "agency"}
LABELS = {f: label for label, f in HEADERS.items()}
REQUIRED = ("title", "formed_on", "published_on")
IGNORED = ("body_file", "attachment_files")  # files are not imported from a spreadsheet
DATE_FIELDS = ("formed_on", "published_on", "effective_on", "abolished_on")
TEXT_FIELDS = ("index_number", "title", "document_number", "topic", "keywords", "abstract")

DATE_FORMATS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
)
CHANNEL_SPLIT = re.compile(r"[、；;，,]+")
CHANNEL_ALIASES = {
    "政府网站": PublicationChannel.WEBSITE, "网站": PublicationChannel.WEBSITE,
    "政府信息公开专栏": PublicationChannel.WEBSITE, "政务微信": PublicationChannel.WECHAT,
    "微信公众号": PublicationChannel.WECHAT, "微信": PublicationChannel.WECHAT,
    "公开栏": PublicationChannel.BULLETIN_BOARD, "办事指南": PublicationChannel.SERVICE_GUIDE,
    "服务指南": PublicationChannel.SERVICE_GUIDE,
}
# An item imported without channels was, at least, on the website: the primary platform (第二十四条).
DEFAULT_CHANNELS = [PublicationChannel.WEBSITE]


def _choices(choices, **aliases) -> dict[str, str]:
    """Label or code (any case) → code."""
    table = {value.lower(): value for value in choices.values} | {label: value for value, label in choices.choices}
    return table | aliases


DOCUMENT_TYPES = _choices(DocumentType, 规范性文件=DocumentType.NORMATIVE_DOCUMENT, 其他=DocumentType.OTHER)
VALIDITIES = _choices(Validity)
GENRES = _choices(Genre, 规划=Genre.PLAN, 计划=Genre.PLAN)
DISCLOSURE_MODES = _choices(DisclosureMode, 主动=DisclosureMode.PROACTIVE, 依申请=DisclosureMode.ON_APPLICATION)
CHANNELS = _choices(PublicationChannel, **CHANNEL_ALIASES)

# Messages (the line and the column are put in front by ``RowError``).
REQUIRED_MISSING = "必须填写"
BAD_DATE = "日期格式应为 YYYY-MM-DD，实际为“{raw}”"
NO_SUCH_DATE = "不是有效的日期：“{raw}”"
PUBLISHED_BEFORE_FORMED = "发布日期（{published}）早于成文日期（{formed}）"
PUBLISHED_IN_FUTURE = "发布日期（{published}）晚于今天，导入的应是已发布的信息"
UNKNOWN_CHOICE = "未知的{what}“{raw}”（可选：{options}）"
UNKNOWN_CHANNEL = "未知的发布渠道“{raw}”（可选：{options}）"
OTHER_AGENCY = "应为本机关“{name}”，实际为“{raw}”"
DUPLICATE_IN_FILE = "索引号“{value}”与第{line}行重复"
DUPLICATE_IN_DATABASE = "索引号“{value}”已存在（系统中已有该信息）"
LIKELY_DUPLICATE_IN_FILE = "与第{line}行标题和发布日期相同，疑似重复"
LIKELY_DUPLICATE_IN_DATABASE = "本机关已有标题和发布日期相同的信息（索引号 {value}），疑似重复导入"

NOT_CSV_OR_XLSX = "只能导入 CSV 或 XLSX 文件：{name}"
NOT_READABLE = "无法读取文件 {name}：{reason}"
NOT_XLSX = "不是有效的 XLSX 文件：{name}"
NO_HEADER = "文件第1行应为列名（如 标题、成文日期、发布日期）"
UNKNOWN_COLUMNS = "第1行：未知的列 {names}（可用的列：{known}）"
DUPLICATE_COLUMNS = "第1行：列“{name}”出现了多次"
MISSING_COLUMNS = "第1行：缺少必需的列 {names}"
NO_ROWS = "文件中没有数据行"
IGNORED_COLUMNS = "「{names}」列的内容不导入：附件请在信息导入后另行上传"


class ImportFileError(Exception):
    """The file as a whole cannot be read; nothing is imported."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str  # the Chinese column label, or "" for the row as a whole
    message: str

    def __str__(self) -> str:
        return f"第{self.line}行「{self.column}」：{self.message}" if self.column else f"第{self.line}行：{self.message}"


@dataclass
class ImportReport:
    rows: int = 0
    imported: list[str] = field(default_factory=list)  # 索引号 of the items written (or, dry run, to be written)
    errors: list[RowError] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    dry_run: bool = False
    skip_bad: bool = False

    @property
    def bad_lines(self) -> list[int]:
        return sorted({e.line for e in self.errors})

    @property
    def written(self) -> int:
        return 0 if self.dry_run else len(self.imported)

    @property
    def ok(self) -> bool:
        """Whether the run did what was asked: every row (or, skipping bad ones, at least one) imported."""
        if self.file_errors or not self.imported:
            return False
        return self.skip_bad or not self.errors

    def lines(self) -> list[str]:
        return [*self.file_errors, *(str(e) for e in sorted(self.errors, key=lambda e: e.line))]

    def summary(self) -> str:
        if self.file_errors:
            return "未导入任何信息。"
        bad = len(self.bad_lines)
        if self.errors and not (self.skip_bad and self.imported):
            return f"共 {self.rows} 行，{bad} 行有错误，未导入任何信息。"
        verb = "试运行：可导入" if self.dry_run else "已导入"
        tail = "，未写入数据库" if self.dry_run else ""
        skipped = f"，跳过有错误的 {bad} 行" if bad else ""
        return f"共 {self.rows} 行，{verb} {len(self.imported)} 条{skipped}{tail}。"


# --- readers -------------------------------------------------------------------------------------

def read_rows(path) -> Iterator[dict]:
    """Rows of a CSV or XLSX file as dicts keyed by the header cell, with ``LINE``; blank rows are skipped.

    Raises ``ImportFileError`` if the file cannot be read or its header row is unusable.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path)
    if suffix == ".xlsx":
        return _xlsx_rows(path)
    raise ImportFileError(NOT_CSV_OR_XLSX.format(name=path.name))


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030")  # what Excel and WPS write as "CSV" on Chinese Windows


def _split_header(rows: Iterator[list]) -> tuple[list[str], Iterator[tuple[int, list]]]:
    """The header (the first non-blank row) and the rows after it, numbered as a spreadsheet shows them."""
    numbered = enumerate(rows, start=1)
    for _, cells in numbered:
        header = [_cell(c) for c in cells]
        if any(h != "" for h in header):
            break
    else:
        raise ImportFileError(NO_HEADER)
    header = [h if isinstance(h, str) else str(h) for h in header]
    while header and not header[-1]:
        header.pop()
    seen = set()
    for h in header:
        if h and h in seen:
            raise ImportFileError(DUPLICATE_COLUMNS.format(name=h))
        seen.add(h)
    return header, numbered


def _records(header: list[str], rows: Iterable[tuple[int, list]]) -> Iterator[dict]:
    for line, cells in rows:
        values = [_cell(c) for c in cells]
        if all(v == "" for v in values):
            continue
        record = {h: (values[i] if i < len(values) else "") for i, h in enumerate(header) if h}
        extra = [v for v in values[len(header):] if v != ""]
        extra += [v for i, v in enumerate(values[:len(header)]) if not header[i] and v != ""]
        if extra:
            record[""] = extra  # cells under no header: reported by the matcher
        record[LINE] = line
        yield record


def _csv_rows(path: Path) -> Iterator[dict]:
    try:
        text = _decode(path.read_bytes())
    except (OSError, UnicodeDecodeError) as e:
        raise ImportFileError(NOT_READABLE.format(name=path.name, reason=getattr(e, "strerror", None) or e)) from e
    try:
        # One line per record, as a spreadsheet numbers them (a quoted cell may span several text lines).
        yield from _records(*_split_header(csv.reader(io.StringIO(text, newline=""))))
    except csv.Error as e:
        raise ImportFileError(NOT_READABLE.format(name=path.name, reason=e)) from e


def _xlsx_rows(path: Path) -> Iterator[dict]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises zipfile, KeyError, ValueError and its own errors alike
        raise ImportFileError(NOT_XLSX.format(name=path.name)) from e
    try:
        yield from _records(*_split_header(book.worksheets[0].iter_rows(values_only=True)))
    finally:
        book.close()


def _cell(value):
    """A cell as a stripped string, or a ``date`` for a spreadsheet date."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- matching ------------------------------------------------------------------------------------

def _field_of(header: str) -> str | None:
    if header in HEADERS:
        return HEADERS[header]
    name = header.strip().lower()
    name = ENGLISH_ALIASES.get(name, name)
    return name if name in FIELDS else None


def parse_date(raw) -> tuple[date | None, str | None]:
    """A date in YYYY-MM-DD, YYYY/MM/DD or YYYY年M月D日 (or a spreadsheet date); (None, message) if not."""
    if isinstance(raw, date):
        return raw, None
    for pattern in DATE_FORMATS:
        m = pattern.fullmatch(raw)
        if m:
            try:
                return date(*map(int, m.groups())), None
            except ValueError:
                return None, NO_SUCH_DATE.format(raw=raw)
    return None, BAD_DATE.format(raw=raw)


def _body(raw: str) -> str:
    """HTML as given, or plain text as one paragraph per line; sanitized either way."""
    if not raw:
        return ""
    if not re.search(r"<[a-zA-Z/][^>]*>", raw):
        raw = "".join(f"<p>{html.escape(line.strip())}</p>" for line in raw.splitlines() if line.strip())
    return clean_body(raw)


class ItemMatcher:
    """Checks rows one by one and builds unsaved, published items of ``agency``."""

    def __init__(self, agency: Agency, *, today: date, calendar: WorkingDayCalendar):
        self.agency = agency
        self.today = today
        self.calendar = calendar

    def columns(self, headers: Iterable[str]) -> tuple[dict[str, str], list[str]]:
        """Map the file's headers to fields; the file errors found (unknown, doubled or missing columns)."""
        mapping, errors, unknown, by_field = {}, [], [], {}
        for header in headers:
            if header in (LINE, ""):
                continue
            name = _field_of(header)
            if name is None:
                unknown.append(header)
            elif name in by_field:
                errors.append(DUPLICATE_COLUMNS.format(name=f"{by_field[name]}”与“{header}"))
            else:
                mapping[header], by_field[name] = name, header
        if unknown:
            known = "、".join(c.label for c in METADATA_COLUMNS) + "、正文"
            errors.append(UNKNOWN_COLUMNS.format(names="、".join(f"“{u}”" for u in unknown), known=known))
        missing = [LABELS[f] for f in REQUIRED if f not in by_field]
        if missing:
            errors.append(MISSING_COLUMNS.format(names="、".join(missing)))
        return mapping, errors

    def match(self, row: dict, mapping: dict[str, str]) -> tuple[Item | None, list[RowError]]:
        line = row[LINE]
        values = {name: row.get(header, "") for header, name in mapping.items()}
        errors: list[RowError] = []

        def error(name, message):
            errors.append(RowError(line, LABELS.get(name, name), message))

        if row.get(""):
            errors.append(RowError(line, "", f"有 {len(row[''])} 个单元格不在任何列名之下"))
        text = {name: (str(values.get(name) or "")).strip() for name in (*TEXT_FIELDS, "agency", "body")}
        for name in REQUIRED:
            if values.get(name) in ("", None):
                error(name, REQUIRED_MISSING)
        dates = {}
        for name in DATE_FIELDS:
            raw = values.get(name)
            if raw in ("", None):
                dates[name] = None
                continue
            dates[name], problem = parse_date(raw)
            if problem:
                error(name, problem)
        fields = {}
        for name, table, what in (("document_type", DOCUMENT_TYPES, "文件类型"), ("validity", VALIDITIES, "有效性"),
                                  ("genre", GENRES, "体裁"), ("disclosure_mode", DISCLOSURE_MODES, "公开方式")):
            raw = str(values.get(name) or "").strip()
            if not raw:
                continue
            code = table.get(raw) or table.get(raw.lower())
            if code is None:
                options = "、".join(dict(_choices_of(name)).values())
                error(name, UNKNOWN_CHOICE.format(what=what, raw=raw, options=options))
            else:
                fields[name] = code
        channels = []
        for raw in CHANNEL_SPLIT.split(str(values.get("channels") or "")):
            raw = raw.strip()
            if not raw:
                continue
            code = CHANNELS.get(raw) or CHANNELS.get(raw.lower())
            if code is None:
                error("channels", UNKNOWN_CHANNEL.format(raw=raw, options="、".join(PublicationChannel.labels)))
            elif code not in channels:
                channels.append(code)
        if text["agency"] and text["agency"] not in {self.agency.name, self.agency.short_name} - {""}:
            error("agency", OTHER_AGENCY.format(name=self.agency.name, raw=text["agency"]))
        formed, published = dates.get("formed_on"), dates.get("published_on")
        if formed and published and published < formed:
            error("published_on", PUBLISHED_BEFORE_FORMED.format(published=published, formed=formed))
        if published and published > self.today:
            error("published_on", PUBLISHED_IN_FUTURE.format(published=published))
        if errors:
            return None, errors

        item = Item(
            agency=self.agency, status=ItemStatus.PUBLISHED, index_number=text["index_number"] or None,
            title=text["title"], document_number=text["document_number"], topic=text["topic"],
            keywords=text["keywords"], abstract=text["abstract"], body=_body(text["body"]),
            document_type=fields.get("document_type", DocumentType.OTHER),
            validity=fields.get("validity", Validity.VALID), genre=fields.get("genre", ""),
            disclosure_mode=fields.get("disclosure_mode", DisclosureMode.PROACTIVE),
            channels=channels or list(DEFAULT_CHANNELS), **dates,
        )
        try:
            # Uniqueness is checked for the whole file at once; the 索引号 may still be blank here.
            item.full_clean(exclude=["index_number", "agency"], validate_unique=False, validate_constraints=False)
        except ValidationError as e:
            for name, messages in e.message_dict.items():
                for message in messages:
                    error(name, message.rstrip("。"))
            return None, errors
        item.late, item.late_confirmed = lateness(item, item.published_on, self.calendar)
        return item, []


def _choices_of(name: str):
    return {"document_type": DocumentType, "validity": Validity, "genre": Genre,
            "disclosure_mode": DisclosureMode}[name].choices


# --- import --------------------------------------------------------------------------------------

def _index_pattern(agency: Agency) -> re.Pattern | None:
    """The agency's 索引号 pattern as a regex with ``year`` and ``seq`` groups, if it has both."""
    parts, names = [], set()
    try:
        for literal, name, _spec, _conversion in string.Formatter().parse(agency.index_pattern):
            parts.append(re.escape(literal))
            if name is None:
                continue
            if name == "code":
                parts.append(re.escape(agency.organisation_code or agency.code))
            elif name in ("year", "seq") and name not in names:
                parts.append(r"(?P<year>\d{4})" if name == "year" else r"(?P<seq>\d+)")
                names.add(name)
            else:
                return None
        return re.compile("".join(parts)) if names == {"year", "seq"} else None
    except (ValueError, re.error):
        return None


def _advance_sequences(agency: Agency, index_numbers: Iterable[str]) -> None:
    """Move the agency's 索引号 counters past the imported numbers of its own pattern, so that numbers
    given later by publication never collide with them."""
    pattern = _index_pattern(agency)
    if pattern is None:
        return
    highest: dict[int, int] = {}
    for number in index_numbers:
        m = pattern.fullmatch(number)
        if m:
            year, seq = int(m["year"]), int(m["seq"])
            highest[year] = max(highest.get(year, 0), seq)
    for year, seq in sorted(highest.items()):
        counter, _ = IndexSequence.objects.select_for_update().get_or_create(agency=agency, year=year)
        if counter.last < seq:
            counter.last = seq
            counter.save(update_fields=["last"])


def _new_index_number(item: Item, taken: set[str]) -> str:
    while True:
        number = index_number_assign(item, year=item.published_on.year)
        if number not in taken and not Item.objects.filter(index_number=number).exists():
            taken.add(number)
            return number


def _in_chunks(values: list, size: int = 500) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _duplicates(matched: list[tuple[int, Item]], agency: Agency) -> list[RowError]:
    """索引号 given twice in the file or already used; and, for rows without one, the same title and
    发布日期 twice, or already in the agency's catalogue (a file imported again)."""
    errors, first_line, first_title = [], {}, {}
    for line, item in matched:
        if item.index_number:
            if item.index_number in first_line:
                errors.append(RowError(line, "索引号", DUPLICATE_IN_FILE.format(
                    value=item.index_number, line=first_line[item.index_number])))
            else:
                first_line[item.index_number] = line
        key = (item.title, item.published_on)
        if key in first_title and not item.index_number:
            errors.append(RowError(line, "标题", LIKELY_DUPLICATE_IN_FILE.format(line=first_title[key])))
        first_title.setdefault(key, line)
    existing = set()
    for chunk in _in_chunks(list(first_line)):
        existing |= set(Item.objects.filter(index_number__in=chunk).values_list("index_number", flat=True))
    unnumbered = [(line, item) for line, item in matched if not item.index_number]
    known = {}
    days = sorted({item.published_on for _, item in unnumbered})
    for chunk in _in_chunks(days):
        for title, day, number in Item.objects.filter(agency=agency, published_on__in=chunk).values_list(
                "title", "published_on", "index_number"):
            known.setdefault((title, day), number or "无")
    for line, item in matched:
        if item.index_number in existing:
            errors.append(RowError(line, "索引号", DUPLICATE_IN_DATABASE.format(value=item.index_number)))
        elif not item.index_number and (item.title, item.published_on) in known:
            errors.append(RowError(line, "标题", LIKELY_DUPLICATE_IN_DATABASE.format(
                value=known[(item.title, item.published_on)])))
    return errors


def items_import(*, user=None, agency: Agency, rows: Iterable[dict], skip_bad: bool = False,
                 dry_run: bool = False, today: date | None = None,
                 calendar: WorkingDayCalendar | None = None) -> ImportReport:
    """Check every row, then import all of them, or none if any is bad (with ``skip_bad``: the good ones).

    Imported items are published, keep their 索引号 or get the next one of the
    agency's pattern, have their body sanitized and their lateness (第二十六条)
    computed; the run is one transaction with one audit entry on the agency.
    """
    report = ImportReport(dry_run=dry_run, skip_bad=skip_bad)
    matcher = ItemMatcher(agency, today=today or timezone.localdate(), calendar=calendar or working_day_calendar())
    try:
        rows = list(rows)
    except ImportFileError as e:
        report.file_errors.append(str(e))
        return report
    report.rows = len(rows)
    if not rows:
        report.file_errors.append(NO_ROWS)
        return report
    headers = list(dict.fromkeys(h for row in rows for h in row))
    mapping, file_errors = matcher.columns(headers)
    if file_errors:
        report.file_errors.extend(file_errors)
        return report
    ignored = [LABELS[f] for f in IGNORED if f in mapping.values() and any(
        row.get(h) for row in rows for h, name in mapping.items() if name == f)]
    if ignored:
        report.notices.append(IGNORED_COLUMNS.format(names="、".join(ignored)))

    matched: list[tuple[int, Item]] = []
    for row in rows:
        item, errors = matcher.match(row, mapping)
        report.errors.extend(errors)
        if item is not None:
            matched.append((row[LINE], item))
    report.errors.extend(_duplicates(matched, agency))
    bad = set(report.bad_lines)
    good = [item for line, item in matched if line not in bad]
    if (bad and not skip_bad) or not good:
        return report
    if dry_run:
        report.imported = [item.index_number or "（待分配）" for item in good]
        return report

    with transaction.atomic():
        given = {item.index_number for item in good if item.index_number}
        _advance_sequences(agency, given)
        taken = set(given)
        for item in good:
            if not item.index_number:
                item.index_number = _new_index_number(item, taken)
            item.save()
            report.imported.append(item.index_number)
        audit_record(actor=user, agency=agency, target=agency, action="item.import",
                     data={"rows": report.rows, "imported": len(good), "skipped": len(bad),
                           "skipped_lines": sorted(bad), "first": report.imported[0],
                           "last": report.imported[-1]})
    return report
