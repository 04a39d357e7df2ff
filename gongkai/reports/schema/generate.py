"""Writes ``annual-report.schema.json`` from ``formats.py``.

The JSON file is the published spec and is committed; this script only
saves typing it by hand, and a test checks the two agree, so a change to a
format that forgets the schema fails. Run after changing a format:

    .venv/bin/python -m gongkai.reports.schema.generate
"""

from __future__ import annotations

import json
from pathlib import Path

from ..checks import SEVERITY
from ..formats import AMOUNT, CHANGE, COUNT, FIRST_YEAR, FORMATS, SCHEMA_ID, Table

SCHEMA_PATH = Path(__file__).with_name("annual-report.schema.json")
DIALECT = "https://json-schema.org/draft/2020-12/schema"
TABLE_CODES = ("proactive", "applications", "appeals")
VALUE_DEFS = {COUNT: "count", CHANGE: "change", AMOUNT: "amount"}


def _strict_object(properties: dict, description: str = "") -> dict:
    node = {"type": "object"}
    if description:
        node["description"] = description
    node.update({"properties": properties, "required": list(properties), "additionalProperties": False})
    return node


def _table_schema(table: Table) -> dict:
    """Rows nest by the dots of their codes (``withheld.state_secret``), as ``canonical.nest`` builds them."""
    tree: dict = {}
    labels: dict[tuple[str, ...], str] = {}
    for row in table.rows:
        parts = tuple(row.code.split("."))
        node = tree
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = row
        labels[parts] = " ".join((*row.groups, row.label))

    def build(node: dict, path: tuple[str, ...]) -> dict:
        properties = {}
        for key, child in node.items():
            if isinstance(child, dict):
                properties[key] = build(child, path + (key,))
            else:
                columns = {c.code: {"$ref": f"#/$defs/{VALUE_DEFS[c.kind]}", "description": c.label}
                           for c in table.row_columns(child)}
                properties[key] = _strict_object(columns, labels[path + (key,)])
        return _strict_object(properties)

    schema = build(tree, ())
    schema["description"] = f"表{table.number} {table.title}"
    return schema


def _format_rule(code: str) -> dict:
    fmt = FORMATS[code]
    year = {"minimum": fmt.first_year}
    if fmt.last_year is not None:
        year["maximum"] = fmt.last_year
    return {
        "if": {"properties": {"format": {"const": code}}, "required": ["format"]},
        "then": {
            "properties": {
                "year": year,
                **{t: {"$ref": f"#/$defs/{t}_{code}"} for t in TABLE_CODES},
            },
        },
    }


def build_schema() -> dict:
    defs: dict = {
        "owner": _strict_object(
            {"code": {"type": ["string", "null"], "minLength": 1},
             "name": {"type": ["string", "null"], "minLength": 1}},
            "填报主体：行政机关（agency）或行政区划汇总（region）；从已发布报告读入时，未识别或尚未对应的为 null",
        ),
        # What the reader of a published report (gongkai.ingest) could not read with certainty.
        "problem": _strict_object({
            "cell": {"type": ["string", "null"], "description": "单元格、行或表的代码；null 表示整份报告"},
            "raw": {"type": ["string", "null"], "description": "印出的原文"},
            "message": {"type": "string"},
            "kind": {"enum": ["unreadable", "inferred", "document"],
                     "description": "unreadable 无法识别（值为 null）；inferred 按勾稽关系等推得；document 关于整份报告"},
        }, "读取已发布报告时发现的问题"),
        "count": {"type": ["integer", "null"], "minimum": 0, "description": "非负整数；null 表示无法识别"},
        "change": {"type": ["integer", "null"], "description": "本年增/减，可为负；null 表示无法识别"},
        "amount": {"type": ["number", "null"], "minimum": 0, "description": "金额（万元）；null 表示无法识别"},
        "check": _strict_object({
            "rule": {"enum": list(SEVERITY)},
            "severity": {"enum": sorted(set(SEVERITY.values()))},
            "cells": {"type": "array", "items": {"type": "string", "pattern": r"^[a-z0-9_]+(\.[a-z0-9_]+)+$"}},
            "message": {"type": "string"},
        }, "一条校验结果（DOMAIN.md §2.6）"),
    }
    for code, fmt in FORMATS.items():
        for table in fmt.tables:
            defs[f"{table.code}_{code}"] = _table_schema(table)
    return {
        "$schema": DIALECT,
        "$id": "urn:gongkai:schema:annual-report:1",
        "title": "政府信息公开工作年度报告（规范 JSON）",
        "description": "gongkai 导出、导入和 API 使用的年度报告数据（DOMAIN.md §2）。",
        "type": "object",
        "properties": {
            "schema": {"const": SCHEMA_ID},
            "agency": {"$ref": "#/$defs/owner"},
            "region": {"$ref": "#/$defs/owner"},
            "year": {"type": ["integer", "null"], "minimum": FIRST_YEAR,
                     "description": "报告年度；从已发布报告读入而未找到年度时为 null"},
            "format": {"enum": list(FORMATS)},
            **{t: {"type": "object"} for t in TABLE_CODES},
            "checks": {"type": "array", "items": {"$ref": "#/$defs/check"}},
            "problems": {"type": "array", "items": {"$ref": "#/$defs/problem"}},
            "source": {"type": "object", "description": "读入的文件（名称、类型）",
                       "properties": {"file": {"type": "string"}, "kind": {"type": "string"}}},
        },
        "required": ["schema", "year", "format", *TABLE_CODES, "checks"],
        "oneOf": [{"required": ["agency"]}, {"required": ["region"]}],
        "additionalProperties": False,
        "allOf": [_format_rule(code) for code in FORMATS],
        "$defs": defs,
    }


def schema_text() -> str:
    return json.dumps(build_schema(), ensure_ascii=False, indent=2) + "\n"


def main() -> None:
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")


if __name__ == "__main__":
    main()
