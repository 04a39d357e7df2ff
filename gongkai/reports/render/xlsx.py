"""The report as an Excel workbook, laid out like the printed form.

Each table gets a sheet whose cells are exactly those of ``table_layout``
(the HTML export's layout), placed on the grid with the same merges, so a
supervisor who copies figures out of the sheet sees the form they know.
Figures are numbers, not text, so the sheet can be summed and compared.
"""

from __future__ import annotations

import math
import unicodedata
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .common import ALL_PASSED, MISSING, sheet_value
from .html import Cell, ReportLayout, TableLayout, table_layout

SHEET_TITLES = {"proactive": "表二 主动公开", "applications": "表三 依申请公开", "appeals": "表四 复议诉讼"}
CHECKS_SHEET = "校验结果"
# Row 1 holds the report title, row 2 the table caption; the form starts on row 3.
TITLE_ROWS = 2
FIRST_ROW = TITLE_ROWS + 1
LANDSCAPE = ("applications", "appeals")

FONT = "宋体"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FILLS = {
    "section": PatternFill("solid", fgColor="F2F2F2"),
    "error": PatternFill("solid", fgColor="FDE2E1"),
    "warning": PatternFill("solid", fgColor="FDF3D0"),
}
MIN_WIDTH, MAX_WIDTH, GROUP_WIDTH = 8, 38, 10
LINE_HEIGHT = 15


def place(table: TableLayout) -> list[tuple[int, int, Cell]]:
    """Grid positions (0-based row, column) of the layout's cells, by the HTML
    table model: a cell goes to the first column its row has not yet filled by
    a span from above."""
    rows = [*table.head, *(row for body in table.bodies for row in body)]
    occupied: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in occupied:
                c += 1
            out.append((r, c, cell))
            occupied.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
            c += cell.colspan
    return out


def display_width(text: str) -> int:
    """Width in Latin characters: Chinese characters and full-width punctuation count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in str(text))


def _column_widths(table: TableLayout, placed: list[tuple[int, int, Cell]]) -> list[float]:
    """Widths from the cells that sit in one column; a label spanning rows may
    wrap into them, so it asks for no more than ``GROUP_WIDTH``."""
    widths = [MIN_WIDTH] * table.width
    for _, c, cell in placed:
        if cell.colspan != 1:
            continue
        want = display_width(cell.text) + 2
        if cell.rowspan > 1:
            want = min(want, GROUP_WIDTH)
        widths[c] = max(widths[c], min(want, MAX_WIDTH))
    # Figure columns share one width, as on the printed form.
    figures = widths[table.label_columns:] if table.label_columns else widths
    if table.code != "proactive" and figures:
        widest = max(figures)
        widths[len(widths) - len(figures):] = [widest] * len(figures)
    return widths


def _style(target, cell: Cell) -> None:
    target.border = BORDER
    target.font = Font(name=FONT, size=11, bold=cell.header and "gk-label" not in cell.css)
    left = "gk-label" in cell.css or "gk-note" in cell.css
    target.alignment = Alignment(horizontal="left" if left else "center", vertical="center", wrap_text=True)
    fill = FILLS.get(cell.flag) or (FILLS["section"] if "gk-section" in cell.css else None)
    if fill:
        target.fill = fill


def _write_cell(ws: Worksheet, row: int, col: int, cell: Cell) -> None:
    target = ws.cell(row=row, column=col)
    if cell.header or not cell.code:
        target.value = cell.text
    else:
        value = sheet_value(cell.value)
        target.value = MISSING if value is None else value
    # Borders on every cell of a merged range, or only its first cell is framed.
    for r in range(row, row + cell.rowspan):
        for c in range(col, col + cell.colspan):
            _style(ws.cell(row=r, column=c), cell)
    if cell.rowspan > 1 or cell.colspan > 1:
        ws.merge_cells(start_row=row, start_column=col, end_row=row + cell.rowspan - 1,
                       end_column=col + cell.colspan - 1)


def _row_heights(ws: Worksheet, placed: list[tuple[int, int, Cell]], widths: list[float]) -> None:
    """Spreadsheets do not grow a row for wrapped text in merged cells: estimate the lines."""
    lines: dict[int, int] = {}
    for r, c, cell in placed:
        room = sum(widths[c:c + cell.colspan]) - 1
        needed = math.ceil(display_width(cell.text) / max(room, 1)) / cell.rowspan
        lines[r] = max(lines.get(r, 1), math.ceil(needed))
    for r, n in lines.items():
        ws.row_dimensions[FIRST_ROW + r].height = max(n, 1) * LINE_HEIGHT + 4


def _title_rows(ws: Worksheet, width: int, title: str, subtitle: str, room: float) -> None:
    """The report title and the table caption, each merged across the table and wrapped if longer."""
    for row, text, size in ((1, title, 14), (2, subtitle, 12)):
        target = ws.cell(row=row, column=1, value=text)
        target.font = Font(name=FONT, size=size, bold=True)
        target.alignment = Alignment(horizontal="center" if row == 1 else "left", vertical="center", wrap_text=True)
        if width > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        # Larger type needs more room than the 11-point cells the widths are measured in.
        lines = math.ceil(display_width(text) * size / 11 / max(room, 1))
        ws.row_dimensions[row].height = lines * (size + 8) + 4


def _print_setup(ws: Worksheet, landscape: bool) -> None:
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _table_sheet(ws: Worksheet, layout: ReportLayout, table: TableLayout) -> None:
    placed = place(table)
    widths = _column_widths(table, placed)
    _title_rows(ws, table.width, layout.title, table.caption, sum(widths))
    for r, c, cell in placed:
        _write_cell(ws, FIRST_ROW + r, 1 + c, cell)
    for c, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(1 + c)].width = width
    _row_heights(ws, placed, widths)
    if table.head:
        ws.freeze_panes = ws.cell(row=FIRST_ROW + len(table.head), column=1 + table.label_columns)
    _print_setup(ws, table.code in LANDSCAPE)


CHECK_COLUMNS = (("规则", 8), ("规则说明", 36), ("级别", 8), ("涉及单元格", 44), ("说明", 60))


def _checks_sheet(ws: Worksheet, layout: ReportLayout) -> None:
    _title_rows(ws, len(CHECK_COLUMNS), layout.title, CHECKS_SHEET, sum(w for _, w in CHECK_COLUMNS))
    for c, (_, width) in enumerate(CHECK_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    if not layout.checks:
        ws.cell(row=FIRST_ROW, column=1, value=ALL_PASSED).font = Font(name=FONT, size=11, bold=True)
        return
    for c, (label, _) in enumerate(CHECK_COLUMNS, start=1):
        _write_cell(ws, FIRST_ROW, c, Cell(label, header=True))
    for r, check in enumerate(layout.checks, start=FIRST_ROW + 1):
        values = (check.rule, check.rule_title, check.severity_label, "\n".join(check.cell_labels), check.message)
        for c, value in enumerate(values, start=1):
            cell = Cell(str(value), flag=check.severity if c == 3 else "")
            _write_cell(ws, r, c, cell)
            ws.cell(row=r, column=c).alignment = Alignment(vertical="top", wrap_text=True)
    ws.freeze_panes = ws.cell(row=FIRST_ROW + 1, column=1)
    _print_setup(ws, True)


def render_xlsx(report) -> bytes:
    layout = table_layout(report)
    wb = Workbook()
    wb.properties.title = layout.title
    wb.properties.creator = "gongkai"
    wb.remove(wb.active)
    for table in layout.tables:
        _table_sheet(wb.create_sheet(SHEET_TITLES[table.code]), layout, table)
    _checks_sheet(wb.create_sheet(CHECKS_SHEET), layout)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
