"""基层政务公开标准目录 (国办发〔2019〕54号): reading them from files, importing them, applying them to an agency.

Reading and matching are separate steps (STYLE.md example 6). ``read_yaml``,
``read_csv`` and ``read_xlsx`` (or ``read_standard``, which picks one by
content and extension) yield the same ``SourceRow`` dicts, keyed by the
model's field names and remembering the line, the column as the file names
it and, for a spreadsheet, the cell. ``standard_rows_clean`` checks every
row and reports every problem at once, each naming its line and column;
``import_standard`` saves only when all rows are good.

Tables as agencies publish them have a title row, a two-row header
(公开对象 over 全社会 | 特定群体, 公开方式 over 主动 | 依申请, 公开层级 over
县级 | 乡级, ticked with √) and 一级事项 merged down its rows; all of that is
read, as is a plain one-row header with the values written out.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath

from django.db import transaction

from gongkai.agencies.models import Agency, Role
from gongkai.agencies.selectors import roles_in
from gongkai.audit.services import audit_record
from gongkai.audit.transitions import ActionForbidden, ActionRefused

from .models import CatalogueEntry, StandardCatalogue, StandardEntry

# --- columns ------------------------------------------------------------------

FIELD_LABELS: dict[str, str] = {
    "level1": "一级事项",
    "level2": "二级事项",
    "name": "公开事项",
    "content": "公开内容（要素）",
    "basis": "公开依据",
    "time_limit": "公开时限",
    "subject": "公开主体",
    "channels": "公开渠道和载体",
    "audience": "公开对象",
    "mode": "公开方式",
    "tier": "公开层级",
}
FIELDS = tuple(FIELD_LABELS)

# Column titles seen on published tables; compared after ``_header_key`` (NFKC, no spaces).
_ALIASES: dict[str, str] = {
    **{_label: _field for _field, _label in FIELD_LABELS.items()},
    "公开内容": "content",
    "公开要素": "content",
    "事项名称": "name",
    "公开事项名称": "name",
    "三级事项": "name",
    "公开渠道": "channels",
    "公开渠道与载体": "channels",
    "公开载体": "channels",
    "公开范围": "audience",
    "公开时间": "time_limit",
    "公开期限": "time_limit",
    "责任主体": "subject",
    "公开责任主体": "subject",
    "item": "name",
}
# Columns of a two-row header that are ticked (√) rather than written out.
TICK_COLUMNS: dict[str, tuple[str, str]] = {
    "全社会": ("audience", "全社会"),
    "特定群体": ("audience", "特定群体"),
    "主动": ("mode", "主动"),
    "依申请": ("mode", "依申请"),
    "县级": ("tier", "县级"),
    "乡级": ("tier", "乡级"),
}
TICKED = {"√", "✓", "✔", "☑", "■", "●", "v", "V", "y", "Y", "yes", "是", "1", "true", "TRUE", "有"}
UNTICKED = {"", "×", "✗", "✘", "□", "☐", "-", "—", "否", "0", "无", "n", "N", "no", "false", "FALSE"}
IGNORED_COLUMNS = {"序号", "编号", "备注", "说明"}


MAX_LENGTHS = {f.name: f.max_length for f in StandardEntry._meta.fields if f.name in FIELDS and f.max_length}

AUDIENCES = ("全社会", "特定群体")
MODES = {"主动": "主动", "主动公开": "主动", "依申请": "依申请", "依申请公开": "依申请"}
TIERS = ("县级", "乡级", "县级、乡级")
TIER_WORDS = {"县级": "县级", "县": "县级", "县级政府": "县级", "乡级": "乡级", "乡": "乡级", "乡镇": "乡级",
              "乡镇级": "乡级", "乡镇(街道)": "乡级", "乡(镇)": "乡级"}

BAD_AUDIENCE = "应为“全社会”或“特定群体”"
BAD_MODE = "应为“主动”或“依申请”"
BAD_TIER = "应为“县级”“乡级”或“县级、乡级”"
BAD_TICK = "应打“√”或留空"
BOTH_TICKED = "只能勾选“{a}”或“{b}”之一"
MISSING_NAME = "缺少公开事项（或二级事项）"
TOO_LONG = "不能超过{n}个字"
DUPLICATE = "与第{line}行重复（同一一级事项下的公开事项不能重名）"
NO_HEADER = "未找到表头：表格应有「公开事项」或「二级事项」列"
NO_ROWS = "文件中没有标准目录事项"
DUPLICATE_COLUMN = "第{line}行：表头「{label}」与「{other}」重复"
BAD_ENCODING = "无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV 文件"
XLS_UNSUPPORTED = "不支持旧版 .xls 文件，请在 WPS 或 Excel 中另存为 .xlsx 或 CSV 后再导入"
BAD_XLSX = "无法读取 XLSX 文件：文件已损坏或不是 Excel 工作簿"
BAD_YAML = "YAML 格式错误：第{line}行：{problem}"
YAML_SHAPE = "YAML 文件应为事项列表，或包含 entries（事项）列表的映射"
YAML_ENTRY = "第{line}行：每个事项应为“栏目: 内容”的映射"
UNKNOWN_FORMAT = "无法识别文件格式，请使用 YAML、CSV 或 XLSX 文件"

CHANGE_ROLES = frozenset({Role.AGENCY_ADMIN, Role.PUBLISHER})
FORBIDDEN = "您没有维护该机关信息公开目录的权限（限机关管理员、发布人）。"
OTHER_AGENCY_ENTRY = "所选上级目录不属于该机关。"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (list, tuple)):
        return "、".join(t for t in (_text(v) for v in value) if t)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _header_key(raw) -> str:
    """A column title compared loosely: NFKC (full-width brackets → ASCII), no spaces or line breaks."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", _text(raw)))


HEADER_ALIASES: dict[str, str] = {
    **{name: name for name in FIELDS},
    **{_header_key(title): name for title, name in _ALIASES.items()},
}


class StandardImportError(Exception):
    """A file or its rows cannot be imported; ``errors`` lists every problem, each naming its line and column."""

    def __init__(self, errors: list[str] | str):
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("；".join(self.errors))


@dataclass(frozen=True)
class SourceRow:
    """One entry as the file has it: raw text per field, and where each value came from."""

    line: int
    values: dict[str, str]
    labels: dict[str, str] = field(default_factory=dict)  # field → column title in the file
    cells: dict[str, str] = field(default_factory=dict)  # field → spreadsheet cell, e.g. H5
    problems: list[str] = field(default_factory=list)  # what the reader already found wrong, with line and column

    def where(self, name: str) -> str:
        label = self.labels.get(name) or FIELD_LABELS.get(name, name)
        cell = self.cells.get(name)
        return f"第{self.line}行「{label}」" + (f"（{cell}）" if cell else "")


@dataclass
class StandardSource:
    """What a reader found: the rows, and the title and domain if the file states them."""

    kind: str
    rows: list[SourceRow]
    title: str = ""
    domain: str = ""


# --- reading ------------------------------------------------------------------


def _field_for(title) -> str | None:
    """The field a column title or YAML key names: Chinese as on the tables, or the English field name."""
    key = _header_key(title)
    return HEADER_ALIASES.get(key) or HEADER_ALIASES.get(key.lower().replace("-", "_"))


def read_yaml(data: bytes | str) -> StandardSource:
    """A YAML list of entries, or a mapping with ``name``/``名称``, ``domain``/``领域`` and ``entries``/``事项``."""
    import yaml

    text = _decode(data) if isinstance(data, bytes) else data
    loader = yaml.SafeLoader(text)
    try:
        return _yaml_source(loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        raise StandardImportError(BAD_YAML.format(line=(mark.line + 1) if mark else "?",
                                                  problem=e.problem or e.context or "")) from e
    except yaml.YAMLError as e:
        raise StandardImportError(BAD_YAML.format(line="?", problem=str(e))) from e
    finally:
        loader.dispose()


def _yaml_source(loader) -> StandardSource:
    """Walk the node tree rather than the loaded data, so that each entry keeps the line it starts on."""
    import yaml

    root = loader.get_single_node()
    title = domain = ""
    if isinstance(root, yaml.MappingNode):
        meta, entries = {}, None
        for key_node, value_node in root.value:
            key = _header_key(loader.construct_object(key_node))
            if key in ("entries", "事项", "items"):
                entries = value_node
            else:
                meta[key] = _text(loader.construct_object(value_node, deep=True))
        title = meta.get("name") or meta.get("名称") or meta.get("title") or ""
        domain = meta.get("domain") or meta.get("领域") or ""
        root = entries
    if not isinstance(root, yaml.SequenceNode):
        raise StandardImportError(YAML_SHAPE)
    rows = []
    for node in root.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            raise StandardImportError(YAML_ENTRY.format(line=line))
        values, labels = {}, {}
        for key_node, value_node in node.value:
            label = _text(loader.construct_object(key_node))
            name = _field_for(label)
            if name is not None:
                values[name] = _text(loader.construct_object(value_node, deep=True))
                labels[name] = label
        rows.append(SourceRow(line=line, values=values, labels=labels))
    return StandardSource(kind="yaml", rows=rows, title=title, domain=domain)


def _decode(data: bytes) -> str:
    # WPS and Excel on Chinese Windows save CSV in GBK; GB18030 is its superset.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StandardImportError(BAD_ENCODING)


def read_csv(data: bytes | str) -> StandardSource:
    """CSV in UTF-8 (with or without BOM) or GBK/GB18030; lines are counted as a spreadsheet shows them."""
    text = _decode(data) if isinstance(data, bytes) else data
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    grid = [(number, [_text(c) for c in record])
            for number, record in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1)]
    return _from_grid("csv", grid)


def read_xlsx(data: bytes) -> StandardSource:
    """The first worksheet of an .xlsx workbook; merged cells count in every row they cover."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        raise StandardImportError(BAD_XLSX) from e
    sheet = workbook.worksheets[0]
    merged = {}
    for cells in sheet.merged_cells.ranges:
        value = sheet.cell(cells.min_row, cells.min_col).value
        for row in range(cells.min_row, cells.max_row + 1):
            for col in range(cells.min_col, cells.max_col + 1):
                merged[(row, col)] = value
    grid = []
    for row in sheet.iter_rows():
        number = row[0].row if row else 0
        grid.append((number, [_text(merged.get((c.row, c.column), c.value)) for c in row]))
    workbook.close()
    return _from_grid("xlsx", grid, cell=lambda col, line: f"{get_column_letter(col + 1)}{line}")


def _from_grid(kind: str, grid: list[tuple[int, list[str]]], cell=None) -> StandardSource:
    """Rows of a table (CSV or worksheet): find the header, name each column, read the rows below it."""
    grid = [(n, cells) for n, cells in grid if any(cells)]
    header_at = next((i for i, (_, cells) in enumerate(grid[:15])
                      if any(_field_for(c) in ("name", "level2") or _header_key(c) == "公开事项" for c in cells)),
                     None)
    if header_at is None:
        raise StandardImportError(NO_HEADER)
    title = ""
    if header_at > 0:
        title = next((c for c in grid[0][1] if c), "")
    header_line, header = grid[header_at]
    body = grid[header_at + 1:]
    # A second header row (一级事项 | 二级事项 under 公开事项, ticks under 公开对象 …) names the columns it covers.
    if body and _is_sub_header(body[0][1], header):
        sub = body[0][1]
        header = [(sub[i] if i < len(sub) and sub[i] else h) for i, h in enumerate(header)] + sub[len(header):]
        body = body[1:]
    columns: list[tuple[int, str, str]] = []  # (index, field or tick title, title as written)
    seen: dict[str, str] = {}
    for index, title_raw in enumerate(header):
        key = _header_key(title_raw)
        if not key or key in IGNORED_COLUMNS:
            continue
        name = key if key in TICK_COLUMNS else _field_for(title_raw)
        if name is None:
            continue
        if name in seen:
            raise StandardImportError(DUPLICATE_COLUMN.format(line=header_line, label=title_raw, other=seen[name]))
        seen[name] = title_raw
        columns.append((index, name, title_raw))
    if not any(name in ("name", "level2") for _, name, _ in columns):
        raise StandardImportError(NO_HEADER)

    rows = []
    level1 = ""
    for line, cells in body:
        if _is_note(cells):
            continue
        values, labels, refs = {}, {}, {}
        ticks: dict[str, list[tuple[str, str, str, str]]] = {}
        for index, name, label in columns:
            value = cells[index] if index < len(cells) else ""
            ref = cell(index, line) if cell else ""
            if name in TICK_COLUMNS:
                target, meaning = TICK_COLUMNS[name]
                ticks.setdefault(target, []).append((value, meaning, label, ref))
                continue
            values[name], labels[name] = value, label
            if ref:
                refs[name] = ref
        problems = []
        for target, marks in ticks.items():
            if target in values:  # written out in a column of its own as well: that one counts
                continue
            labels[target] = FIELD_LABELS[target]
            bad = [(label, ref) for value, _, label, ref in marks if value not in TICKED | UNTICKED]
            for label, ref in bad:
                problems.append(f"第{line}行「{label}」" + (f"（{ref}）" if ref else "") + f"：{BAD_TICK}")
            chosen = [(meaning, label, ref) for value, meaning, label, ref in marks if value in TICKED]
            if len(chosen) > 1 and target != "tier":
                problems.append(f"第{line}行「{labels[target]}」：" + BOTH_TICKED.format(
                    a=chosen[0][0], b=chosen[1][0]))
            elif chosen and not bad:
                values[target] = "、".join(meaning for meaning, _, _ in chosen)
                labels[target] = chosen[0][1]
                if chosen[0][2]:
                    refs[target] = chosen[0][2]
        # 一级事项 is merged down its rows, and a CSV export leaves it blank after the first.
        if values.get("level1"):
            level1 = values["level1"]
        elif "level1" in values:
            values["level1"] = level1
        rows.append(SourceRow(line=line, values=values, labels=labels, cells=refs, problems=problems))
    return StandardSource(kind=kind, rows=rows, title=title)


def _is_sub_header(cells: list[str], header: list[str]) -> bool:
    """The row under the header names ticked or lower-level columns; other cells repeat the header (merged)."""
    named = set(TICK_COLUMNS) | {"一级事项", "二级事项", "三级事项"}
    keys = [_header_key(c) for c in cells]
    if not any(k in named for k in keys):
        return False
    above = [_header_key(h) for h in header]
    return all(not k or k in named or (i < len(above) and k == above[i]) for i, k in enumerate(keys))


def _is_note(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    return len(filled) == 1 and re.match(r"^(注|备注|说明|填表说明)[:：]", filled[0]) is not None


def read_standard(data: bytes, *, filename: str = "") -> StandardSource:
    """Pick the reader by content first (XLSX is a zip), then by extension; plain text is CSV or YAML."""
    suffix = PurePath(filename).suffix.lower()
    if data[:4] == b"PK\x03\x04":
        return read_xlsx(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or suffix == ".xls":
        raise StandardImportError(XLS_UNSUPPORTED)
    if suffix == ".xlsx":
        raise StandardImportError(BAD_XLSX)
    if suffix in (".yaml", ".yml"):
        return read_yaml(data)
    if suffix in (".csv", ".txt", ".tsv"):
        return read_csv(data)
    text = _decode(data)
    first = next((line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")), "")
    if first.lstrip().startswith(("-", "---")) or re.match(r"^\s*[^,\t]+:\s", first):
        return read_yaml(text)
    if "," in first or "\t" in first:
        return read_csv(text)
    raise StandardImportError(UNKNOWN_FORMAT)


# --- matching -----------------------------------------------------------------


def normalize_audience(value: str) -> str | None:
    value = re.sub(r"\s+", "", value)
    return value if value in AUDIENCES else None


def normalize_mode(value: str) -> str | None:
    return MODES.get(re.sub(r"\s+", "", value))


def normalize_tier(value: str) -> str | None:
    words = [w for w in re.split(r"[、,，/;；\s和及]+", unicodedata.normalize("NFKC", value)) if w]
    tiers = {TIER_WORDS.get(w) for w in words}
    if not words or None in tiers:
        return None
    return "、".join(t for t in ("县级", "乡级") if t in tiers)


def _one_line(value: str) -> str:
    return re.sub(r"\s*\n\s*", "", value).replace("\u3000", " ").strip()


def standard_rows_clean(rows: Iterable[SourceRow | dict]) -> list[dict]:
    """The rows as StandardEntry fields, or ``StandardImportError`` listing every problem with line and column."""
    cleaned, errors = [], []
    first_seen: dict[tuple[str, str], int] = {}
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, SourceRow):
            values = {(_field_for(k) or k): _text(v) for k, v in row.items()}
            row = SourceRow(line=number, values={k: v for k, v in values.items() if k in FIELDS})
        values = dict(row.values)
        out = {}
        for name in ("level1", "level2", "name", "time_limit", "subject", "channels"):
            out[name] = _one_line(values.get(name, ""))
        for name in ("content", "basis"):
            out[name] = values.get(name, "").strip()
        if not out["name"]:
            out["name"] = out["level2"]
        if not out["name"]:
            errors.append(f"{row.where('name' if 'name' in row.labels else 'level2')}：{MISSING_NAME}")
        errors.extend(row.problems)
        for name, normalize, message in (("audience", normalize_audience, BAD_AUDIENCE),
                                         ("mode", normalize_mode, BAD_MODE),
                                         ("tier", normalize_tier, BAD_TIER)):
            raw = values.get(name, "").strip()
            value = normalize(raw) if raw else ""
            if value is None:
                errors.append(f"{row.where(name)}：{message}（现为“{raw}”）")
            out[name] = value or ""
        for name, limit in MAX_LENGTHS.items():
            if len(out.get(name, "")) > limit:
                errors.append(f"{row.where(name)}：{TOO_LONG.format(n=limit)}")
        if not out["time_limit"]:
            out.pop("time_limit")  # the model's default: 信息形成或者变更之日起20个工作日内
        if out["name"]:
            key = (out["level1"], out["name"])
            if key in first_seen:
                errors.append(f"{row.where('name' if 'name' in row.labels else 'level2')}："
                              f"{DUPLICATE.format(line=first_seen[key])}")
            else:
                first_seen[key] = row.line
        cleaned.append(out)
    if not cleaned and not errors:
        errors.append(NO_ROWS)
    if errors:
        raise StandardImportError(errors)
    return cleaned


def domain_from_name(name: str) -> str:
    """“仙游县工业和信息化领域基层政务公开标准目录” → “工业和信息化”."""
    match = re.search(r"(?:^|[县区市镇乡])([^县区市镇乡]+?)领域", name)
    return match.group(1) if match else ""


def import_standard(*, source_name: str, rows: Iterable[SourceRow | dict], name: str, domain: str = "",
                    user=None) -> StandardCatalogue:
    """Save a standard catalogue under ``name``; importing the same name again replaces its entries.

    Entries are matched on (一级事项, 公开事项) and updated in place, so the
    agencies' catalogue entries made from them stay linked. Nothing is
    saved when any row fails.
    """
    name = name.strip()
    if not name:
        raise StandardImportError("请指定标准目录名称")
    if len(name) > StandardCatalogue._meta.get_field("name").max_length:
        raise StandardImportError("标准目录名称不能超过200个字")
    cleaned = standard_rows_clean(rows)
    source = PurePath(source_name).name[:200] if source_name else ""
    with transaction.atomic():
        catalogue, created = StandardCatalogue.objects.select_for_update().get_or_create(
            name=name, defaults={"domain": domain or domain_from_name(name), "source": source})
        if not created:
            catalogue.source = source
            catalogue.domain = domain or catalogue.domain or domain_from_name(name)
            catalogue.save()
        existing = {(e.level1, e.name): e for e in catalogue.entries.all()}
        to_create, to_update, kept = [], [], set()
        for position, values in enumerate(cleaned, start=1):
            key = (values["level1"], values["name"])
            values = {"time_limit": StandardEntry._meta.get_field("time_limit").default, **values}
            entry = existing.get(key)
            if entry is None:
                to_create.append(StandardEntry(catalogue=catalogue, position=position, **values))
                continue
            kept.add(entry.pk)
            if any(getattr(entry, f) != v for f, v in values.items()) or entry.position != position:
                for f, v in values.items():
                    setattr(entry, f, v)
                entry.position = position
                to_update.append(entry)
        removed = [e.pk for e in existing.values() if e.pk not in kept]
        StandardEntry.objects.filter(pk__in=removed).delete()
        StandardEntry.objects.bulk_create(to_create)
        if to_update:
            StandardEntry.objects.bulk_update(to_update, [*FIELDS, "position"])
        audit_record(actor=user, agency=None, target=catalogue, action="standard.import",
                     data={"source": source, "entries": len(cleaned), "created": len(to_create),
                           "updated": len(to_update), "deleted": len(removed)})
    return catalogue


def import_standard_file(*, data: bytes, filename: str, name: str = "", user=None) -> StandardCatalogue:
    """Read a file (YAML, CSV or XLSX) and import it; the name defaults to the file's title, else its stem."""
    source = read_standard(data, filename=filename)
    name = name or source.title or PurePath(filename).stem
    return import_standard(source_name=filename, rows=source.rows, name=name,
                           domain=source.domain or domain_from_name(name), user=user)


# --- applying to an agency ------------------------------------------------------


def user_may_change_catalogue(user, agency: Agency) -> bool:
    """Agency administrators and the office's publishers keep the catalogue; ``None`` is the command line."""
    return user is None or bool(roles_in(user, agency) & CHANGE_ROLES)


def _require_change(user, agency: Agency) -> None:
    if not user_may_change_catalogue(user, agency):
        raise ActionForbidden(FORBIDDEN)


def lock_catalogue(agency: Agency) -> None:
    """Serialise writes to one agency's tree: siblings at the top level have a NULL parent, which the
    database's unique (agency, parent, name) does not cover, so names are checked under this lock."""
    Agency.objects.select_for_update().filter(pk=agency.pk).values_list("pk", flat=True).first()


def standard_apply(*, user, agency: Agency, standard: StandardCatalogue,
                   under: CatalogueEntry | None = None) -> list[CatalogueEntry]:
    """Build the agency's catalogue from a standard catalogue; return the entries created.

    One node per distinct 一级事项 (under ``under`` if given), and below it one
    entry per 公开事项 with the standard's fields copied and ``standard_entry``
    set. Nodes that exist by name are reused, so applying twice creates
    nothing. ``user=None`` is an operator on the command line.
    """
    _require_change(user, agency)
    if under is not None and under.agency_id != agency.pk:
        raise ActionRefused(OTHER_AGENCY_ENTRY, "under")
    entries = list(standard.entries.all())
    created: list[CatalogueEntry] = []
    with transaction.atomic():
        lock_catalogue(agency)
        parent_id = under.pk if under else None
        tops = {e.name: e for e in CatalogueEntry.objects.filter(agency=agency, parent_id=parent_id)}
        next_top = max((e.position for e in tops.values()), default=0) + 1
        groups: dict[str, CatalogueEntry | None] = {}
        for standard_entry in entries:
            if standard_entry.level1 and standard_entry.level1 not in groups:
                node = tops.get(standard_entry.level1)
                if node is None:
                    node = CatalogueEntry.objects.create(agency=agency, parent_id=parent_id,
                                                         name=standard_entry.level1, level1=standard_entry.level1,
                                                         time_limit="", position=next_top)
                    next_top += 1
                    tops[node.name] = node
                    created.append(node)
                groups[standard_entry.level1] = node
        group_ids = [g.pk for g in groups.values()]
        existing = {(e.parent_id, e.name): e for e in CatalogueEntry.objects.filter(
            agency=agency, parent_id__in=group_ids)}
        positions: dict[int | None, int] = {}
        for (pid, _), e in existing.items():
            positions[pid] = max(positions.get(pid, 0), e.position)
        for standard_entry in entries:
            group = groups.get(standard_entry.level1)
            pid = group.pk if group else parent_id
            if (pid, standard_entry.name) in existing or (group is None and standard_entry.name in tops):
                continue
            if group is None:
                position = next_top
                next_top += 1
            else:
                position = positions[pid] = positions.get(pid, 0) + 1
            node = CatalogueEntry(agency=agency, parent_id=pid, standard_entry=standard_entry, position=position,
                                  **{f: getattr(standard_entry, f) for f in FIELDS})
            node.save()
            existing[(pid, node.name)] = node
            if group is None:
                tops[node.name] = node
            created.append(node)
        audit_record(actor=user, agency=agency, target=standard, action="catalogue.apply_standard",
                     data={"standard": standard.name, "under": parent_id, "created": len(created)})
    return created
