"""From the lines of a published annual report to its canonical JSON.

Every reader (``readers.py``) turns its input into ``Line``s: a line of text
or a row of a table grid. The parser then

1. finds the title (agency, year) and the section headings that bound tables
   二, 三 and 四;
2. turns each table's lines into *groups*: the label text printed before a
   run of figures, and the figures (``solve.Token``) — so labels broken
   across lines, rows split over lines and headers repeated after a page
   break all come out the same;
3. matches each group to a row of the format (``reports/formats.py``) by the
   normalised label (bigram overlap, aliases from ``labels.py``); groups whose
   label was lost are placed by order between matched ones;
4. reads each row's cells with ``solve.solve_row`` (identities A3 and R1),
   then narrows rows still ambiguous by the column identities A1 and A2;
5. runs ``reports.checks.run_checks`` on the cells.

Every cell it cannot read with certainty is None, with a problem naming the
cell, the printed text and why.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field
from functools import lru_cache
from decimal import Decimal, InvalidOperation

from gongkai.reports.canonical import to_canonical
from gongkai.reports.checks import run_checks
from gongkai.reports.formats import (
    AMOUNT,
    APPLICANT_TYPES,
    CHANGE,
    FORMATS,
    NON_OUTCOME_ROWS,
    OTHER,
    ReportFormat,
    Row,
    Table,
    format_for_year,
)

from .labels import (
    FORMAT_MARKERS,
    HEADER_WORDS,
    HEADINGS,
    NIL_FIGURES,
    TABLE_STARTS,
    NUMBERING,
    ROW_ALIASES,
    bigrams,
    fold,
    normalize,
    strip_numbering,
)
from .solve import BAD, BLANK, NIL, NUM, RowReading, Token, solve_row

UNREADABLE = "unreadable"  # the cell is null
INFERRED = "inferred"  # the cell was read, but not one-to-one from print (split, placed, nil mark)
DOCUMENT = "document"  # about the document, not a cell


@dataclass
class Line:
    fields: list[str]
    grid: bool = False

    @property
    def text(self) -> str:
        return " ".join(f for f in self.fields if f)


@dataclass
class Problem:
    cell: str | None
    raw: str | None
    message: str
    kind: str = UNREADABLE

    def as_dict(self) -> dict:
        return {"cell": self.cell, "raw": self.raw, "message": self.message, "kind": self.kind}


@dataclass
class ParsedReport:
    format: ReportFormat | None
    year: int | None
    agency_name: str | None
    cells: dict
    problems: list[Problem] = field(default_factory=list)
    checks: list = field(default_factory=list)
    narrative: str = ""
    sections: dict = field(default_factory=dict)  # overview, problems, other_matters (sections 一, 五, 六)
    printed: dict = field(default_factory=dict)  # unclean printed text per cell, for N1

    @property
    def cells_read(self) -> int:
        return sum(v is not None for v in self.cells.values())

    @property
    def cells_unread(self) -> int:
        return sum(v is None for v in self.cells.values())

    def canonical(self, *, agency_code: str | None = None, agency_name: str | None = None,
                  source: dict | None = None) -> dict:
        doc = to_canonical(self.format, self.year, self.cells, owner_kind="agency", owner_code=agency_code,
                           owner_name=agency_name or self.agency_name, checks=self.checks)
        doc["problems"] = [p.as_dict() for p in self.problems]
        if source:
            doc["source"] = source
        return doc


class NotAReport(ValueError):
    """The input has none of an annual report's tables."""


# --- lines and headings -------------------------------------------------------

PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?"
                         r"|\d{1,3}\s*/\s*\d{1,3})\s*$")


def _heading(line: Line) -> str | None:
    return _heading_of(line.text)


@lru_cache(maxsize=16384)
def _heading_of(raw: str) -> str | None:
    text = normalize(strip_numbering(raw))
    if not text or len(text) > 40:
        return None
    for key, words in HEADINGS.items():
        for word in words:
            if word in text and len(text) <= len(word) + 14:
                return key
    return None


# A table printed without its section heading is found by words only it prints.
TABLE_MARKERS = {
    "proactive": ("第二十条第",),
    "applications": ("申请人情况", "本年新收政府信息公开申请"),
    "appeals": ("未经复议直接起诉",),
}


def _tables_without_headings(lines: list[Line], found: dict[str, int]) -> set[str]:
    """Add the first line of each table whose heading is missing, found by its marker words, keeping
    the order 二 → 三 → 四 → end; return the tables so found."""
    order = ("proactive", "applications", "appeals", "end")
    unheaded = set()
    for n, key in enumerate(order[:-1]):
        if key in found:
            continue
        after = max((found[k] for k in order[:n] if k in found), default=-1)
        before = min((found[k] for k in order[n + 1:] if k in found), default=len(lines))
        for i in range(after + 1, before):
            text = normalize(lines[i].text)
            if any(marker in text for marker in TABLE_MARKERS[key]):
                if key == "appeals":  # its header starts a line or two above: 行政复议 行政诉讼
                    while i - 1 > after and "行政复议" in normalize(lines[i - 1].text) and not \
                            any(ch.isdigit() for ch in lines[i - 1].text):
                        i -= 1
                found[key] = i
                unheaded.add(key)
                break
    return unheaded


_SECTION_NUMERAL = re.compile(r"^[\s#*>]*([一二三四五六七])\s*[、.]")
SECTION_NUMERALS = {"proactive": "二", "applications": "三", "appeals": "四", "end": "五六"}

# How far after its heading a table's first words are looked for.
TABLE_START_WINDOW = 12


def _starts_table(lines: list[Line], i: int, key: str) -> bool:
    words = TABLE_STARTS.get(key)
    if not words:
        return True
    text = normalize("".join(line.text for line in lines[i + 1:i + 1 + TABLE_START_WINDOW]))
    return any(word in text for word in words)


def _regions(lines: list[Line]) -> dict[str, tuple[int, int]]:
    marks = [(i, key) for i, line in enumerate(lines) if (key := _heading(line))]
    found: dict[str, int] = {}
    for order in ("proactive", "applications", "appeals", "end"):
        after = max(found.values(), default=-1)
        candidates = [i for i, key in marks if key == order and i > after]
        if candidates:
            # The section's own heading (二、… 三、… 四、…) before a sub-heading of 一、总体情况 such as
            # （二）收到和处理政府信息公开申请情况; one followed by the table's first words before one that is not.
            numbered = [i for i in candidates if _SECTION_NUMERAL.match(fold(lines[i].text))
                        and _SECTION_NUMERAL.match(fold(lines[i].text)).group(1) in SECTION_NUMERALS[order]]
            ranked = [i for i in numbered if _starts_table(lines, i, order)] + numbered \
                + [i for i in candidates if _starts_table(lines, i, order)] + candidates
            found[order] = ranked[0]
    unheaded = _tables_without_headings(lines, found)
    out = {}
    keys = sorted((k for k in ("proactive", "applications", "appeals", "end") if k in found), key=found.get)
    for a, b in zip(keys, keys[1:] + [None]):
        if a == "end":
            continue
        # A heading line belongs to no table; a table found by its first line starts on it.
        out[a] = (found[a] if a in unheaded else found[a] + 1, found[b] if b else len(lines))
    return out


# --- title -----------------------------------------------------------------

_TITLE = re.compile(
    r"(?P<agency>[\u4e00-\u9fff（）()]{2,40}?)(?:关于)?(?P<year>20\d{2})年(?:度)?(?:的)?"
    r"政府信息公开(?:工作)?(?:的)?(?:年度)?报告")
_TITLE_YEAR_FIRST = re.compile(r"(?P<year>20\d{2})年(?:度)?(?P<agency>[\u4e00-\u9fff（）()]{2,40}?)"
                               r"政府信息公开(?:工作)?(?:年度)?报告")
_PERIOD = re.compile(r"(20\d{2})年1月1日(?:起)?至(20\d{2})年12月31日")
_AGENCY_END = re.compile(r"(人民政府|政府|办公室|委员会|局|委|办|厅|院|中心|街道办事处|街道|镇|乡|署|所|站|队|会|部|处|馆|行|司|"
                         r"学|校|社|场|园|集团|台|区|县|市)$")
_AGENCY_LEAD = re.compile(r"^(?:.*?[。；;：:]|关于|本报告由)")


_CN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "00012345678" + "9")
_CN_YEAR = re.compile(r"([〇零○一二三四五六七八九]{4})(?=年)")


def _title(lines: list[Line]) -> tuple[str | None, int | None]:
    """Agency and year from the title. A page may also link other years' reports (a sidebar): the
    title whose year is the statistics period's (统计期限) wins, else the first in the document."""
    whole = "".join(re.sub(r"\s+", "", fold(line.text)) for line in lines)
    whole = _CN_YEAR.sub(lambda m: m.group(1).translate(_CN_DIGITS), whole)
    found = []
    for pattern in (_TITLE, _TITLE_YEAR_FIRST):
        for match in pattern.finditer(whole):
            agency = _AGENCY_LEAD.sub("", match.group("agency")).strip("（）()")
            agency = re.sub(r"^\d+", "", agency)
            if len(agency) >= 2 and _AGENCY_END.search(agency):
                found.append((match.start(), agency, int(match.group("year"))))
    found.sort()
    period = _PERIOD.search(whole)
    period_year = int(period.group(1)) if period and period.group(1) == period.group(2) else None
    if found:
        agency, year = next(((a, y) for _, a, y in found if y == period_year), found[0][1:])
        return agency, year
    return None, period_year


# --- tokens and groups --------------------------------------------------------

# A printed figure (or a row of run-together figures) is never longer than this.
MAX_DIGITS = 40
_NUMBER = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(万元|元|件|条|个|次|起|人)?$")
_BAD = re.compile(r"^(?=.*[OoIl])[0-9OoIl]{1,4}$")
_NOT_FIGURE_AFTER = "年月日号页项第条次个%"
_PIECES = re.compile(r"(?<![\d.,])[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s*万?元)?(?![\d.])")


def _token(chunk: str) -> Token | None:
    chunk = chunk.strip()
    if not chunk:
        return Token(BLANK, "")
    if chunk in NIL_FIGURES:
        return Token(NIL, chunk, 0)
    match = _NUMBER.match(chunk)
    if match:
        sign, digits, unit = match.groups()
        grouped = "," in digits
        digits = digits.replace(",", "")
        if len(digits) > MAX_DIGITS:
            return Token(BAD, chunk if len(chunk) <= 40 else chunk[:40] + "…")
        if "." in digits:
            try:
                value = Decimal(digits)
            except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
                return Token(BAD, chunk)
            if unit == "元":
                value = value / 10000
            return Token(NUM, chunk, -value if sign == "-" else value)
        clean = len(digits) == 1 or digits[0] != "0"
        value = int(digits) if clean else None
        if value is not None and unit == "元":
            value = Decimal(value) / 10000
        if value is not None and sign == "-":
            value = -value
        return Token(NUM, chunk, value, digits if not sign and not unit and not grouped else None)
    if _BAD.match(chunk):
        return Token(BAD, chunk)
    return None


@lru_cache(maxsize=65536)
def _field_items(field_text: str) -> tuple:
    """The items of one field, cached: report after report prints the same labels and rows."""
    return tuple(_items(field_text))


def _items(field_text: str):
    """Split one field of text into label text and figures, in order."""
    folded = fold(field_text).replace("\u3000", " ")
    for chunk in re.split(r"(\s+)", folded):
        if not chunk or chunk.isspace():
            yield ("text", chunk)
            continue
        token = _token(chunk)
        if token is not None:
            yield ("token", token)
            continue
        # Mixed: numbering and label words stay text; figures inside are figures.
        numbering = [(m.start(), m.end()) for m in NUMBERING.finditer(chunk)]
        pos = 0
        for match in _PIECES.finditer(chunk):
            a, b = match.span()
            after = chunk[b:b + 1]
            before = chunk[a - 1:a] if a else ""
            if any(s <= a < e for s, e in numbering) or (after and after in _NOT_FIGURE_AFTER) \
                    or before in ("第", "表", "附") or after in ("：", ":"):
                continue  # 第3项, 表3, 附件2, 注1：— names and numbering, not figures
            if after and re.match(r"[\u4e00-\u9fff]", after) and not match.group(0).endswith("元"):
                continue  # a digit run straight into a label word is numbering or part of a name
            yield ("text", chunk[pos:a])
            yield ("token", _token(match.group(0)))
            pos = b
        yield ("text", chunk[pos:])


@dataclass
class Group:
    text: str
    tokens: list[Token]
    closed: bool = False
    # The whitespace printed before each token when only spaces separate it from the one before on the
    # same line (None otherwise): a wider gap among single spaces is where a blank cell was.
    gaps: list = field(default_factory=list)

    def with_blanks(self) -> list[Token] | None:
        """The tokens with a blank cell at each wide gap, when the line spaces its figures singly elsewhere."""
        if any(t.kind == BLANK for t in self.tokens) or len(self.gaps) != len(self.tokens):
            return None
        known = [g for g in self.gaps if g is not None]
        narrow = sum(1 for g in known if len(g) == 1)
        wide = [i for i, g in enumerate(self.gaps) if g is not None and len(g) >= 2]
        if not wide or narrow < 2 or narrow + len(wide) != len(known):
            return None
        out = []
        for i, token in enumerate(self.tokens):
            if i in wide:
                out.append(Token(BLANK, ""))
            out.append(token)
        return out


def _trim(tokens: list[Token]) -> list[Token]:
    while tokens and tokens[0].kind == BLANK:
        tokens = tokens[1:]
    while tokens and tokens[-1].kind == BLANK:
        tokens = tokens[:-1]
    return tokens


def groups_of(lines: list[Line]) -> list[Group]:
    groups: list[Group] = []
    pending: list[str] = []
    current: Group | None = None

    def start():
        nonlocal current, pending
        current = Group("".join(pending), [])
        groups.append(current)
        pending = []

    for line in lines:
        if PAGE_NUMBER.match(line.text):
            continue
        spaces: str | None = None  # whitespace since this line's last figure, if nothing else came between
        if line.grid:
            if current is not None:
                current.closed = True
        fields = line.fields
        if not line.grid:
            # Tabs at either end of a text line are layout; only a blank between figures is a blank cell.
            while fields and not fields[-1].strip():
                fields = fields[:-1]
            while fields and not fields[0].strip():
                fields = fields[1:]
        for field_text in fields:
            items = _field_items(field_text) if field_text.strip() else (("token", Token(BLANK, "")),)
            for kind, item in items:
                if kind == "text":
                    pending.append(item)
                    if spaces is not None:
                        spaces = spaces + item if item and item.isspace() else (spaces if not item else None)
                    continue
                if item.kind == BLANK and (current is None or current.closed or normalize("".join(pending))):
                    pending.append(" ")
                    continue  # a blank before a row's first figure is layout, not a cell
                if current is None or current.closed or normalize("".join(pending)):
                    start()
                    spaces = None
                current.tokens.append(item)
                current.gaps.append(spaces if not line.grid and len(line.fields) == 1 else None)
                spaces = ""
            if not line.grid:
                pending.append(" ")
        if line.grid and current is not None:
            current.closed = True
        pending.append("\n")
    for group in groups:
        trimmed = _trim(group.tokens)
        if len(trimmed) != len(group.tokens):
            group.gaps = []
        group.tokens = trimmed
    return [g for g in groups if g.tokens]


# --- matching groups to rows -------------------------------------------------------

@dataclass(frozen=True)
class Target:
    """A row to find: a printed row, or the 2021 form's 其他处理 printed as one row."""

    code: str
    labels: tuple[str, ...]
    n: int
    parts: tuple[str, ...] = ()  # for a sum row: the rows it stands for


def _targets(table: Table, fmt: ReportFormat) -> list[Target]:
    return _targets_for(fmt.code, table.code)


@lru_cache(maxsize=16)
def _targets_for(fmt_code: str, table_code: str) -> list[Target]:
    fmt = FORMATS[fmt_code]
    table = fmt.table(table_code)
    out = []
    for row in table.rows:
        labels = [normalize(strip_numbering(row.label)), *ROW_ALIASES.get(table.code, {}).get(row.code, ())]
        out.append(Target(row.code, tuple(dict.fromkeys(labels)), len(table.row_columns(row))))
    if table.code == "applications" and fmt.code == "2021":
        parts = tuple(r.code for r in table.rows if r.code.startswith("other."))
        out.append(Target("other", (normalize(strip_numbering(OTHER)),), len(table.columns), parts))
    return out


def _header_words(table: Table, fmt: ReportFormat) -> list[str]:
    return _header_words_for(fmt.code, table.code)


@lru_cache(maxsize=16)
def _header_words_for(fmt_code: str, table_code: str) -> list[str]:
    table = FORMATS[fmt_code].table(table_code)
    words = [normalize(w) for w in HEADER_WORDS]
    for row in table.rows:
        for column in table.row_columns(row):
            label = normalize(column.label)
            if len(label) >= 3:
                words.append(label)
    words += ["信息内容", "第二十条第", "单位万元"]
    return sorted(set(words), key=len, reverse=True)


def _units(text: str, headers: list[str]) -> list[str]:
    units = []
    for piece in NUMBERING.split(fold(text)):
        unit = normalize(piece)
        for word in headers:
            unit = unit.replace(word, "")
        if unit:
            units.append(unit)
    return units


def _f1(a: frozenset, b: frozenset) -> float:
    common = len(a & b)
    if not common:
        return 0.0
    p, r = common / len(b), common / len(a)
    return 2 * p * r / (p + r)


@lru_cache(maxsize=65536)
def _pair_score(label: str, text: str) -> float:
    """How well ``text`` (a group's label text) prints ``label``: bigram F1, also against its tail.
    Cached: the same printed labels recur in report after report."""
    lb = bigrams(label)
    best = 0.0
    for t in (text, text[-len(label):], text[-len(label) - 1:]):
        score = _f1(lb, bigrams(t))
        if score > best:
            best = score
    return best


def _score(target: Target, units: list[str]) -> float:
    if not units:
        return 0.0
    texts = [units[-1]]
    if len(units) > 1:
        texts.append(units[-2] + units[-1])
    best = 0.0
    for label in target.labels:
        for text in texts:
            if text == label:
                return 1.0
            score = _pair_score(label, text)
            if score > best:
                best = score
    return best


ANCHOR = 0.6
MARGIN = 0.1


def match_groups(groups: list[Group], targets: list[Target], headers: list[str], *, by_order: bool = True
                 ) -> list[tuple[Group, Target | None, str]]:
    """Each group with the row it prints (None when it fits no row) and how it was found: "label",
    "approx" (a label like the row's) or "order". With ``by_order``, groups whose label was lost fill
    the unclaimed rows between the rows found around them."""
    order = {t.code: i for i, t in enumerate(targets)}
    scored = []
    for g in groups:
        units = _units(g.text, headers)
        scores = heapq.nlargest(2, ((_score(t, units), -len(max(t.labels, key=len)), i, t)
                                    for i, t in enumerate(targets)), key=lambda s: (s[0], s[1]))
        scored.append([(s, length, t) for s, length, _, t in scores])
    anchors: dict[int, Target] = {}
    exactness: dict[int, float] = {}
    taken: dict[str, tuple[float, int]] = {}
    for gi, scores in enumerate(scored):
        best, second = scores[0], scores[1] if len(scores) > 1 else (0.0, 0, None)
        if best[0] >= ANCHOR and (best[0] - second[0] >= MARGIN or best[1] < second[1]):
            code = best[2].code
            if code in taken:
                other_score, other = taken[code]
                if abs(other_score - best[0]) < MARGIN:
                    # Two groups claim one row equally well: neither is trusted; order places them.
                    anchors.pop(other, None)
                    taken[code] = (max(other_score, best[0]), -1)
                    continue
                if other_score >= best[0]:
                    continue
                anchors.pop(other, None)
            anchors[gi] = best[2]
            exactness[gi] = best[0]
            taken[code] = (best[0], gi)
    # A sum row of 其他处理 and its own sub-rows exclude each other.
    used = {t.code for t in anchors.values()}
    for gi, t in list(anchors.items()):
        if t.parts and any(p in used for p in t.parts):
            del anchors[gi]
    used = {t.code for t in anchors.values()}
    used |= {p for t in anchors.values() for p in t.parts}
    free_targets = [t for t in targets if not t.parts]

    out: list[tuple[Group, Target]] = []
    gi = 0
    while gi < len(groups):
        if gi in anchors:
            out.append((groups[gi], anchors[gi], "label" if exactness.get(gi, 1.0) >= 0.999 else "approx"))
            gi += 1
            continue
        run = []
        while gi < len(groups) and gi not in anchors:
            run.append(gi)
            gi += 1
        before = max((order[anchors[j].code] for j in anchors if j < run[0]), default=-1)
        after = min((order[anchors[j].code] for j in anchors if j > run[-1] and order[anchors[j].code] > before),
                    default=len(targets))
        free = [t for t in free_targets if before < order[t.code] < after and t.code not in used]
        chunks = []
        for j in run:
            g = groups[j]
            n = free[0].n if free else 0
            if n and len(g.tokens) > n and len(g.tokens) % n == 0:
                for c in range(0, len(g.tokens), n):
                    chunks.append(Group(g.text if c == 0 else "", g.tokens[c:c + n]))
            else:
                chunks.append(g)
        if by_order and len(chunks) == len(free):
            for g, t in zip(chunks, free):
                out.append((g, t, "order"))
                used.add(t.code)
        else:
            for g in chunks:
                out.append((g, None, ""))
    return out


# --- reading a table ---------------------------------------------------------

def _identities(table: Table, row: Row | None):
    if table.code == "applications":
        columns = [c.code for c in table.columns]
        total = columns.index("total")
        return [(total, tuple(columns.index(c) for c in APPLICANT_TYPES))]
    return []


def _value_ok(value, kind: str) -> bool:
    if value is None:
        return True
    if kind == AMOUNT:
        return value >= 0
    if isinstance(value, Decimal):
        return False
    return kind == CHANGE or value >= 0


class _TableReader:
    def __init__(self, fmt: ReportFormat, table: Table, report: ParsedReport, *, separators_lost: bool = False):
        self.fmt, self.table, self.report = fmt, table, report
        self.separators_lost = separators_lost
        self.ambiguous: dict[str, RowReading] = {}

    def cell(self, row_code: str, column) -> str:
        return f"{self.table.code}.{row_code}.{column.code}"

    def store(self, row_code: str, columns, reading: RowReading, raw: str):
        inferred = False
        for i, column in enumerate(columns):
            code = self.cell(row_code, column)
            value = reading.values[i]
            if value is not None and not _value_ok(value, column.kind):
                self.report.printed[code] = str(value)
                self.report.problems.append(Problem(code, str(value), f"“{value}”不是{column.label}应有的数值"))
                value = None
            elif value is not None and isinstance(value, Decimal) and column.kind != AMOUNT:
                value = int(value)
            self.report.cells[code] = value
            if reading.raws[i] is not None:
                self.report.printed[code] = reading.raws[i]
            if i in reading.unread:
                self.report.problems.append(Problem(code, reading.raws[i] if reading.raws[i] is not None else raw,
                                                    reading.unread[i]))
            elif i in reading.notes and not reading.row_note:
                text = reading.texts[i] if reading.texts else raw
                self.report.problems.append(Problem(code, text, reading.notes[i], INFERRED))
            elif i in reading.notes:
                inferred = True
        if inferred:
            self.report.problems.append(Problem(f"{self.table.code}.{row_code}", raw,
                                                f"{reading.row_note}；已按唯一符合的读法读出", INFERRED))

    def read(self, lines: list[Line]) -> None:
        targets = _targets(self.table, self.fmt)
        headers = _header_words(self.table, self.fmt)
        groups = groups_of(lines)
        # Table 二's labels are short and distinct, and reports add rows of their own (行政确认, 行政征收…):
        # a group there is placed only by its label.
        matched = match_groups(groups, targets, headers, by_order=self.table.code != "proactive")
        seen = set()
        for group, target, how in matched:
            raw = " ".join(t.raw or "□" for t in group.tokens)
            if target is not None and how in ("approx", "order") and not target.parts:
                printed = "".join(_units(group.text, headers)[-1:])[-30:]
                label = self.table.row(target.code).label
                if how == "approx":
                    message = f"行标签印为“{printed}”，与“{label}”相近，按该行读取"
                else:
                    message = f"行标签缺失或无法识别（印为“{printed or '无'}”），按位置读作“{label}”"
                self.report.problems.append(Problem(f"{self.table.code}.{target.code}", printed or None, message,
                                                    INFERRED))
            if target is None:
                label = normalize(group.text)[-20:] or "（无标签）"
                self.report.problems.append(Problem(None, raw, f"表{self.table.number}中“{label}”后的数值“{raw}”"
                                                               "无法确定属于哪一行，未读取", DOCUMENT))
                continue
            seen.add(target.code)
            if target.parts:
                self._sum_row(target, group, raw)
                continue
            row = self.table.row(target.code)
            columns = self.table.row_columns(row)
            tokens = group.tokens
            if len(tokens) != len(columns) and len(blanks := group.with_blanks() or []) == len(columns):
                tokens = blanks
                self.report.problems.append(Problem(f"{self.table.code}.{row.code}", raw,
                                                    "数值之间多出的空格按空白单元格读取", INFERRED))
            reading = solve_row(tokens, len(columns), _identities(self.table, row),
                                nonnegative=all(c.kind != CHANGE for c in columns),
                                separators_lost=self.separators_lost)
            if reading.candidates:
                self.ambiguous[row.code] = reading
            self.store(row.code, columns, reading, raw)
        for row in self.table.rows:
            if row.code in seen or any(t.code in seen and row.code in t.parts for t in targets):
                continue
            for column in self.table.row_columns(row):
                self.report.cells.setdefault(self.cell(row.code, column), None)
            self.report.problems.append(Problem(f"{self.table.code}.{row.code}", None,
                                                f"表{self.table.number}未找到“{row.label}”行{self._would_be(row.code)}"))
        if self.table.code == "applications" and self.ambiguous:
            self._narrow_by_columns()

    def _would_be(self, row_code: str) -> str:
        """What A1 says a missing 第二项 or 第四项 row holds, told (not used) when the other rows were read."""
        if self.table.code != "applications" or row_code not in ("carried_over", "carried_forward"):
            return ""
        values = []
        for column in self.table.columns:
            cell = {r: self.report.cells.get(f"applications.{r}.{column.code}")
                    for r in ("new_received", "carried_over", "total_handled", "carried_forward")}
            if any(v is None for r, v in cell.items() if r != row_code):
                return ""
            if row_code == "carried_forward":
                values.append(cell["new_received"] + cell["carried_over"] - cell["total_handled"])
            else:
                values.append(cell["total_handled"] + cell["carried_forward"] - cell["new_received"])
        return f"（按第一项加第二项等于第三项加第四项应为 {' '.join(map(str, values))}，未采用）"

    def _sum_row(self, target: Target, group: Group, raw: str) -> None:
        """The 2021 form's 其他处理 printed as one row: its sub-rows are known only where it is 0."""
        reading = solve_row(group.tokens, target.n, _identities(self.table, None))
        for i, column in enumerate(self.table.columns):
            value = reading.values[i]
            for part in target.parts:
                code = self.cell(part, column)
                self.report.cells[code] = 0 if value == 0 else None
        zeros = [c.label for i, c in enumerate(self.table.columns) if reading.values[i] == 0]
        if zeros:
            which = "全部列" if len(zeros) == len(self.table.columns) else "、".join(zeros) + "列"
            self.report.problems.append(Problem("applications.other", raw, f"“（六）其他处理”只印有一行，{which}为0，"
                                                "三个子项（逾期不补正、逾期未缴费、其他）按0读出", INFERRED))
        for i, column in enumerate(self.table.columns):
            if reading.values[i] == 0:
                continue
            for part in target.parts:
                printed = "无法读出" if reading.values[i] is None else f"为{reading.values[i]}"
                self.report.problems.append(Problem(
                    self.cell(part, column), raw,
                    f"“（六）其他处理”只印有一行合计（{column.label}列{printed}），无法分到三个子项"))

    def _narrow_by_columns(self) -> None:
        """Rows whose digits split several ways: keep the readings that fit A1 and A2 in every column."""
        cells = self.report.cells
        table = self.table
        outcome_rows = [r.code for r in table.rows if r.code not in NON_OUTCOME_ROWS]
        for row_code, reading in self.ambiguous.items():
            keep = []
            for candidate in reading.candidates:
                trial = dict(cells)
                for i, column in enumerate(table.columns):
                    value = candidate[i]
                    trial[self.cell(row_code, column)] = value if isinstance(value, (int, Decimal)) else None
                if all(self._columns_fit(trial, column.code, outcome_rows) for column in table.columns):
                    keep.append(candidate)
            if not keep:
                continue
            for i, column in enumerate(table.columns):
                values = {repr(c[i]) for c in keep}
                code = self.cell(row_code, column)
                if len(values) == 1 and isinstance(keep[0][i], int) and cells.get(code) is None:
                    cells[code] = keep[0][i]
                    self.report.problems = [p for p in self.report.problems if p.cell != code]
                    self.report.problems.append(Problem(code, None, "连写数字按本列勾稽关系（第一项加第二项等于第三项加第四项、"
                                                                    "各办理结果之和等于总计）唯一确定", INFERRED))

    @staticmethod
    def _columns_fit(cells: dict, col: str, outcome_rows: list[str]) -> bool:
        def v(row):
            return cells.get(f"applications.{row}.{col}")

        a1 = [v("new_received"), v("carried_over"), v("total_handled"), v("carried_forward")]
        if all(isinstance(x, int) for x in a1) and a1[0] + a1[1] != a1[2] + a1[3]:
            return False
        a2 = [v(r) for r in outcome_rows]
        t = v("total_handled")
        if all(isinstance(x, int) for x in a2 + [t]) and sum(a2) != t:
            return False
        return True


def _separators_lost(lines: list[Line]) -> bool:
    """Most rows of table 三 printed as one digit string of at least 7 digits: a copy that lost its
    separators (text copied from a web page), not one that lost cells."""
    groups = groups_of(lines)
    strings = sum(1 for g in groups if len(g.tokens) == 1 and g.tokens[0].digits and len(g.tokens[0].digits) >= 7)
    return len(groups) >= 5 and strings * 2 > len(groups)


_PROSE = re.compile(r"[\u4e00-\u9fff][^\n]{18,}[。；]|[。；]\s*$")


def _until_prose(lines: list[Line]) -> list[Line]:
    """Table 四's lines, up to the first sentence after its figures (its end heading may be missing or
    worded unlike any other: the narrative's figures are not the table's)."""
    seen_figures = False
    for i, line in enumerate(lines):
        if seen_figures and not line.grid and _PROSE.search(fold(line.text)):
            return lines[:i]
        seen_figures = seen_figures or any(ch.isdigit() for ch in fold(line.text))
    return lines


def _read_appeals(fmt: ReportFormat, lines: list[Line], report: ParsedReport) -> None:
    """Table 四 is printed as one row of 15 figures under a two-level header."""
    table = fmt.table("appeals")
    lines = _until_prose(lines)
    tokens = [t for g in groups_of(lines) for t in g.tokens]
    columns = [(row, column) for row in table.rows for column in table.columns]
    identities = []
    for r in range(len(table.rows)):
        base = r * len(table.columns)
        identities.append((base + 4, (base, base + 1, base + 2, base + 3)))
    raw = " ".join(t.raw or "□" for t in tokens)
    if not tokens:
        reading = RowReading([None] * len(columns), [None] * len(columns))
        for code in (f"appeals.{row.code}.{column.code}" for row, column in columns):
            report.cells[code] = None
        report.problems.append(Problem("appeals", None, "表四没有读到任何数值"))
        return
    reading = solve_row(tokens, len(columns), identities)
    for i, (row, column) in enumerate(columns):
        code = f"appeals.{row.code}.{column.code}"
        report.cells[code] = reading.values[i]
        if reading.raws[i] is not None:
            report.printed[code] = reading.raws[i]
        if i in reading.unread:
            report.problems.append(Problem(code, reading.raws[i] or raw, reading.unread[i]))
    if reading.row_note and any(v is not None for v in reading.values):
        report.problems.append(Problem("appeals", raw, f"{reading.row_note}；已按唯一符合的读法读出", INFERRED))


# --- the whole report --------------------------------------------------------

def _format(lines: list[Line], regions: dict, year: int | None, problems: list[Problem]) -> ReportFormat | None:
    spans = [regions[k] for k in ("proactive", "applications") if k in regions]
    text = normalize("".join(lines[i].text for a, b in spans for i in range(a, b)))
    score = {code: sum(word in text for word in words) for code, words in FORMAT_MARKERS.items()}
    by_year = None
    if year is not None:
        try:
            by_year = format_for_year(year)
        except ValueError:
            by_year = None
    if score["2019"] != score["2021"]:
        fmt = FORMATS["2019" if score["2019"] > score["2021"] else "2021"]
        if by_year is not None and by_year.code != fmt.code:
            problems.append(Problem(None, None, f"表格为{fmt.name}，但{year}年应使用{by_year.name}", DOCUMENT))
        return fmt
    return by_year


_INLINE_HEADING = re.compile(
    r"([一二三四五六七]\s*[、.．]\s*(?:主动公开政府信息情况|收到和处理政府信息公开申请情况"
    r"|政府信息公开行政复议\s*[、和]?\s*行政诉讼情况|存在的主要问题(?:及|和)改进(?:情况|措施)|其他需要报告的事项))")


def _split_at_headings(lines: list[Line]) -> list[Line]:
    """Text that lost its line breaks (a whole page on one line): each section heading on a line of its own."""
    out = []
    for line in lines:
        if line.grid:
            out.append(line)
            continue
        for field_text in line.fields:
            for piece in _INLINE_HEADING.split(field_text):
                if piece.strip():
                    out.append(Line([piece]))
    return out


_OVERVIEW = "总体情况"
_OTHER_MATTERS = "其他需要报告的事项"


def _sections(lines: list[Line], tables_start: int, tables_end: int) -> dict:
    """The narrative sections 一、五、六 as printed, for storing with an import."""
    def text(a: int, b: int) -> str:
        return "\n".join(line.text.strip() for line in lines[a:b] if not PAGE_NUMBER.match(line.text)).strip()

    start = next((i + 1 for i in range(tables_start) if normalize(strip_numbering(lines[i].text)) == _OVERVIEW), None)
    other = next((i for i in range(tables_end, len(lines))
                  if normalize(strip_numbering(lines[i].text)).startswith(_OTHER_MATTERS)), len(lines))
    return {
        "overview": text(start, tables_start) if start is not None else "",
        "problems": text(tables_end + 1, other),
        "other_matters": text(other + 1, len(lines)),
    }


def parse_lines(lines: list[Line], *, year_hint: int | None = None) -> ParsedReport:
    """The report printed in ``lines``; ``year_hint`` (the year the caller knows, e.g. ``--year``) stands
    in for a year the title does not give."""
    lines = [line for line in lines if line.text.strip()]
    agency, year = _title(lines)
    problems: list[Problem] = []
    if agency is None:
        problems.append(Problem(None, None, "未找到机关名称（标题应为“××2023年政府信息公开工作年度报告”）", DOCUMENT))
    if year is None and year_hint is not None:
        year = year_hint
        problems.append(Problem(None, None, f"报告中未找到年度，按指定的{year}年读取", DOCUMENT))
    elif year is None:
        problems.append(Problem(None, None, "未找到报告年度", DOCUMENT))
    regions = _regions(lines)
    if len(regions) < 3:
        split = _split_at_headings(lines)
        if len(_regions(split)) > len(regions):
            lines, regions = split, _regions(split)
    if not regions:
        raise NotAReport("未找到年度报告的表格（主动公开、依申请公开、行政复议和行政诉讼情况）")
    fmt = _format(lines, regions, year, problems)
    if fmt is None:
        raise NotAReport("无法判断报告格式（2019年版或2021年版）：既无年度也无可识别的表格")
    report = ParsedReport(fmt, year, agency, {code: None for code in fmt.cell_codes()}, problems)
    lost = "applications" in regions and _separators_lost(lines[slice(*regions["applications"])])
    for table in fmt.tables:
        if table.code not in regions:
            report.problems.append(Problem(table.code, None, f"未找到表{table.number}（{table.title}）"))
            continue
        a, b = regions[table.code]
        if table.code == "appeals":
            _read_appeals(fmt, lines[a:b], report)
        else:
            _TableReader(fmt, table, report, separators_lost=lost).read(lines[a:b])
    first = min(a for a, _ in regions.values()) - 1
    last = max(b for _, b in regions.values())
    report.narrative = "\n".join(line.text for line in lines[:max(first, 0)] + lines[last:])
    report.sections = _sections(lines, max(first, 0), last)
    check_cells = {**report.cells, **report.printed}
    report.checks = run_checks(fmt, year or fmt.first_year, check_cells, narrative=report.narrative)
    return report
