"""The canonical JSON of an annual report (DOMAIN.md §2): build it from flat
cells and read it back. Export, import and the API all speak it."""

from __future__ import annotations

from decimal import Decimal

from .formats import FORMATS, SCHEMA_ID, ReportFormat


def json_number(value):
    """Amounts are Decimals in the engine and plain JSON numbers outside."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def nest(fmt: ReportFormat, cells: dict) -> dict:
    """``{"applications.withheld.state_secret.total": 0}`` → nested tables in printed order."""
    out: dict = {}
    for table in fmt.tables:
        out[table.code] = {}
        for row, column, code in table.cells():
            node = out[table.code]
            for part in row.code.split("."):
                node = node.setdefault(part, {})
            node[column.code] = json_number(cells.get(code))
    return out


def to_canonical(fmt: ReportFormat, year: int, cells: dict, *, owner_kind: str, owner_code: str, owner_name: str,
                 checks: list) -> dict:
    doc = {"schema": SCHEMA_ID, owner_kind: {"code": owner_code, "name": owner_name}, "year": year,
           "format": fmt.code}
    doc.update(nest(fmt, cells))
    doc["checks"] = [c.as_dict() for c in checks]
    return doc


def flatten(doc: dict) -> tuple[ReportFormat, dict]:
    """The format and flat cells of a canonical document; a missing cell is None."""
    fmt = FORMATS[str(doc["format"])]
    cells = {}
    for table in fmt.tables:
        for row, column, code in table.cells():
            node = doc.get(table.code) or {}
            for part in row.code.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            cells[code] = node.get(column.code) if isinstance(node, dict) else None
    return fmt, cells
