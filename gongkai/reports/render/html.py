"""The report as HTML, laid out like the official printed form.

``table_layout(report)`` turns the declarations of ``formats.py`` into rows
of cells with their row and column spans; ``reports/_tables.html`` prints
them and the XLSX export places the very same cells on a sheet, so the two
cannot drift apart. Spans are computed from ``Row.groups``, ``Row.section``
and ``Table.column_groups``: a new row in ``formats.py`` needs no change here.

The form prints each table its own way (DOMAIN.md §2): table 二 as sections
headed by the article of 第二十条, table 三 as a matrix with nested row and
column headers, table 四 as one row of 15 figures under three header rows.
``TABLE_STYLES`` picks the way by table code; both formats share them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import groupby

from django.template.loader import render_to_string

from ..formats import Column, Row, Table
from .common import CheckLine, check_lines, flagged_cells, format_basis, format_value, report_title

ID_PREFIX = "gk"


@dataclass(frozen=True)
class Cell:
    """One printed cell: a header (``th``) or a figure (``td``)."""

    text: str
    header: bool = False
    scope: str = ""
    rowspan: int = 1
    colspan: int = 1
    id: str = ""
    # Space-separated ids of the header cells that describe a figure, since
    # nested and spanned headers are beyond what ``scope`` alone conveys.
    headers: str = ""
    css: str = ""
    # For figures: the canonical cell code, the raw value and the column kind.
    code: str = ""
    value: object = None
    kind: str = ""
    # "error" or "warning" when a check names this cell.
    flag: str = ""
    # A link to the records behind the figure (staff pages only; never in exports).
    url: str = ""


@dataclass(frozen=True)
class TableLayout:
    code: str
    number: str
    title: str
    caption: str
    # The number of grid columns, and how many leading ones hold row labels.
    width: int
    label_columns: int
    head: tuple[tuple[Cell, ...], ...]
    # Row groups (``tbody``); table 二 has one per section of 第二十条.
    bodies: tuple[tuple[tuple[Cell, ...], ...], ...]


@dataclass(frozen=True)
class ReportLayout:
    title: str
    owner_name: str
    year: int
    format_code: str
    basis: str
    tables: tuple[TableLayout, ...]
    checks: tuple[CheckLine, ...]


@dataclass(frozen=True)
class Span:
    """A label covering ``length`` consecutive leaves at nesting ``level``;
    a leaf label also fills the ``depth`` levels below it that it has no groups for."""

    level: int
    start: int
    length: int
    depth: int
    text: str
    is_group: bool


def spans(paths: list[tuple[str, ...]]) -> list[Span]:
    """The merged cells of a header tree given each leaf's path (groups, outermost
    first, then the leaf's own label). Consecutive leaves sharing a group prefix
    share its cell, which is how the printed form merges "（三）不予公开" over
    its eight rows or "法人或其他组织" over its five columns."""
    depth = max(len(p) for p in paths)
    out = []
    for level in range(depth):
        i = 0
        while i < len(paths):
            path = paths[i]
            if level >= len(path):
                i += 1
            elif level == len(path) - 1:
                out.append(Span(level, i, 1, depth - level, path[-1], False))
                i += 1
            else:
                j = i + 1
                while j < len(paths) and len(paths[j]) > level + 1 and paths[j][: level + 1] == path[: level + 1]:
                    j += 1
                out.append(Span(level, i, j - i, 1, path[level], True))
                i = j
    return out


def _covering(all_spans: list[Span], index: int, prefix: str) -> list[str]:
    return [_span_id(prefix, s) for s in all_spans if s.start <= index < s.start + s.length]


def _span_id(prefix: str, span: Span) -> str:
    return f"{prefix}-{span.level}-{span.start}"


def _figure(table: Table, row: Row, column: Column, cells: dict, flags: dict, headers: list[str],
            colspan: int = 1) -> Cell:
    code = f"{table.code}.{row.code}.{column.code}"
    value = cells.get(code)
    flag = flags.get(code, "")
    css = " ".join(filter(None, ["gk-num", f"gk-flag-{flag}" if flag else "", "gk-missing" if value is None else ""]))
    return Cell(format_value(value, column.kind), colspan=colspan, headers=" ".join(headers), css=css, code=code,
                value=value, kind=column.kind, flag=flag)


def _column_header_rows(paths: list[tuple[str, ...]], prefix: str) -> list[list[Cell]]:
    """Header rows for leaves laid out left to right: a group spans its leaves'
    columns, a leaf spans down to the last header row. A spanning ``th`` with
    ``scope="col"`` covers every column it spans (``colgroup`` would need
    ``<colgroup>`` elements, which cannot nest)."""
    all_spans = spans(paths)
    depth = max(len(p) for p in paths)
    rows: list[list[Cell]] = [[] for _ in range(depth)]
    for s in sorted(all_spans, key=lambda s: (s.level, s.start)):
        rows[s.level].append(Cell(
            s.text, header=True, scope="col", rowspan=s.depth, colspan=s.length,
            id=_span_id(prefix, s), css="gk-group" if s.is_group else "",
        ))
    return rows


def _spread(count: int, width: int) -> list[int]:
    """Colspans for ``count`` columns across ``width`` grid columns: the last one
    takes the rest, as the form widens 本年收费金额 across the whole table."""
    return [1] * (count - 1) + [width - count + 1]


# --- table 二: sections of 第二十条 -------------------------------------------


def _sectioned(table: Table, cells: dict, flags: dict) -> TableLayout:
    prefix = f"{ID_PREFIX}-{table.code}"
    data_width = max(len(table.row_columns(r)) for r in table.rows)
    width = 1 + data_width
    bodies = []
    for s, (section, section_rows) in enumerate(groupby(table.rows, key=lambda r: r.section)):
        section_id = f"{prefix}-s{s}"
        body = [(Cell(section, header=True, scope="rowgroup", colspan=width, id=section_id, css="gk-section"),)]
        for h, (columns, rows) in enumerate(groupby(section_rows, key=table.row_columns)):
            colspans = _spread(len(columns), data_width)
            head_id = f"{section_id}-h{h}"
            body.append((
                Cell("信息内容", header=True, scope="col", id=f"{head_id}-label"),
                *(Cell(c.label, header=True, scope="col", colspan=n, id=f"{head_id}-{c.code}")
                  for c, n in zip(columns, colspans)),
            ))
            for row in rows:
                row_id = f"{prefix}-{row.code.replace('.', '-')}"
                body.append((
                    Cell(row.label, header=True, scope="row", id=row_id, css="gk-label"),
                    *(_figure(table, row, c, cells, flags, [section_id, row_id, f"{head_id}-{c.code}"], n)
                      for c, n in zip(columns, colspans)),
                ))
        bodies.append(tuple(body))
    return TableLayout(table.code, table.number, table.title, _caption(table), width, 1, (), tuple(bodies))


# --- table 三: a matrix with nested row and column headers ------------------


def column_paths(table: Table) -> list[tuple[str, ...]]:
    """Each shared column's header path: the groups that hold it (a group
    listing no members holds every column), then its label."""
    return [
        tuple(label for label, members in table.column_groups if not members or column.code in members)
        + (column.label,)
        for column in table.columns
    ]


def row_paths(table: Table) -> list[tuple[str, ...]]:
    return [row.groups + (row.label,) for row in table.rows]


def _matrix(table: Table, cells: dict, flags: dict) -> TableLayout:
    prefix = f"{ID_PREFIX}-{table.code}"
    col_paths, r_paths = column_paths(table), row_paths(table)
    col_spans, row_spans = spans(col_paths), spans(r_paths)
    head_depth = max(len(p) for p in col_paths)
    label_depth = max(len(p) for p in r_paths)
    head = _column_header_rows(col_paths, f"{prefix}-c")
    # The corner over the row labels carries the table's note (A1's statement on the form).
    head[0].insert(0, Cell(table.note, rowspan=head_depth, colspan=label_depth, css="gk-note"))
    body = []
    for i, row in enumerate(table.rows):
        labels = [
            Cell(s.text, header=True, scope="row", rowspan=s.length, colspan=s.depth,
                 id=_span_id(f"{prefix}-r", s), css="gk-group" if s.is_group else "gk-label")
            for s in sorted(row_spans, key=lambda s: s.level) if s.start == i
        ]
        row_headers = _covering(row_spans, i, f"{prefix}-r")
        figures = [
            _figure(table, row, column, cells, flags, row_headers + _covering(col_spans, j, f"{prefix}-c"))
            for j, column in enumerate(table.columns)
        ]
        body.append(tuple(labels + figures))
    width = label_depth + len(table.columns)
    return TableLayout(table.code, table.number, table.title, _caption(table), width, label_depth,
                       tuple(tuple(r) for r in head), (tuple(body),))


# --- table 四: every row's columns side by side, one row of figures --------


def _transposed(table: Table, cells: dict, flags: dict) -> TableLayout:
    prefix = f"{ID_PREFIX}-{table.code}"
    leaves = [(row, column) for row in table.rows for column in table.columns]
    paths = [row.groups + (row.label, column.label) for row, column in leaves]
    all_spans = spans(paths)
    head = _column_header_rows(paths, prefix)
    figures = tuple(
        _figure(table, row, column, cells, flags, _covering(all_spans, j, prefix))
        for j, (row, column) in enumerate(leaves)
    )
    return TableLayout(table.code, table.number, table.title, _caption(table), len(leaves), 0,
                       tuple(tuple(r) for r in head), ((figures,),))


TABLE_STYLES = {"proactive": _sectioned, "applications": _matrix, "appeals": _transposed}


def _caption(table: Table) -> str:
    return f"{table.number}、{table.title}"


def _linked(layout: TableLayout, cell_url: Callable[[str], str | None]) -> TableLayout:
    """The layout with each figure whose ``cell_url(code)`` gives a URL carrying it."""
    def link(cell: Cell) -> Cell:
        url = cell_url(cell.code) if cell.code and not cell.header else None
        return replace(cell, url=url) if url else cell

    bodies = tuple(tuple(tuple(link(c) for c in row) for row in body) for body in layout.bodies)
    return replace(layout, bodies=bodies)


def table_layout(report, cell_url: Callable[[str], str | None] | None = None) -> ReportLayout:
    """The report's tables as rows of cells with spans, for ``_tables.html`` and the XLSX export.

    ``cell_url(code)``, given only by staff pages, turns figures into links
    (e.g. to the applications counted in a cell of table 三); exports pass
    nothing and stay free of links.
    """
    flags = flagged_cells(report)
    tables = tuple(TABLE_STYLES[t.code](t, report.cells, flags) for t in report.format.tables)
    if cell_url is not None:
        tables = tuple(_linked(t, cell_url) for t in tables)
    return ReportLayout(
        title=report_title(report),
        owner_name=report.owner_name,
        year=report.year,
        format_code=report.format.code,
        basis=format_basis(report),
        tables=tables,
        checks=check_lines(report),
    )


def render_html(report) -> bytes:
    """A complete standalone page (inline CSS, no external resources)."""
    return render_to_string("reports/standalone.html", {"layout": table_layout(report)}).encode("utf-8")
