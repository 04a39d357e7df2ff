"""The identities every annual report must satisfy (DOMAIN.md §2.6).

The checks read flat cells (``{"applications.new_received.total": 3, ...}``)
so they apply alike to a report computed from records, a frozen published
report and one read back from a PDF. A cell that could not be read is
``None`` and every identity that needs it is skipped; a value that is not a
clean number is reported by N1 and skipped by the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .formats import (
    AMOUNT,
    APPLICANT_TYPES,
    CHANGE,
    NON_OUTCOME_ROWS,
    ReportFormat,
)

ERROR = "error"
WARNING = "warning"

SEVERITY = {
    "A1": ERROR, "A2": ERROR, "A3": ERROR, "A4": ERROR, "R1": ERROR,
    "P1": WARNING, "P2": WARNING, "N1": ERROR, "T1": WARNING,
}

RULE_TITLES = {
    "A1": "表三 第一项加第二项之和等于第三项加第四项之和",
    "A2": "表三 第三项总计等于各办理结果之和",
    "A3": "表三 各行总计等于六类申请人之和",
    "A4": "表三 本年结转下年度等于下一年上年结转",
    "R1": "表四 各组总计等于维持、纠正、其他结果、尚未审结之和",
    "P1": "表二 现行有效件数等于上年现行有效件数加本年制发减本年废止",
    "P2": "表二 上一年项目数量加本年增/减等于下一年的上一年项目数量",
    "N1": "数值须为规范的非负整数",
    "T1": "正文引用的数字与表格和记录一致",
}


@dataclass(frozen=True)
class Violation:
    rule: str
    severity: str
    cells: tuple[str, ...]
    message: str

    def as_dict(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "cells": list(self.cells), "message": self.message}


def _v(rule: str, cells, message: str) -> Violation:
    return Violation(rule, SEVERITY[rule], tuple(cells), message)


def is_clean(value, kind: str) -> bool:
    if isinstance(value, bool):
        return False
    if kind == AMOUNT:
        return isinstance(value, (int, Decimal, float)) and value >= 0
    if not isinstance(value, int):
        return False
    return kind == CHANGE or value >= 0


def _numbers(cells: dict, codes: list[str], kinds: dict[str, str]) -> list | None:
    """The values of ``codes``, or None when any is missing or not clean."""
    values = list(map(cells.get, codes))
    # Non-negative ints (not bools) are clean for every kind: the common case, checked first at C speed
    # (a region's reports run this some 60 times each).
    if set(map(type, values)) == _INT_ONLY and min(values) >= 0:
        return values
    for v, c in zip(values, codes):
        if type(v) is int and v >= 0:
            continue
        if v is None or not is_clean(v, kinds.get(c, "count")):
            return None
    return values


_INT_ONLY = {int}


def cell_label(fmt: ReportFormat, code: str) -> str:
    """A cell in the words of the printed form, e.g. 表三「（七）总计」行「自然人」列."""
    table_code, rest = code.split(".", 1)
    row_code, column_code = rest.rsplit(".", 1)
    table = fmt.table(table_code)
    row = table.row(row_code)
    column = next(c for c in table.row_columns(row) if c.code == column_code)
    return f"表{table.number}「{row.label}」行「{column.label}」列"


def _column_label(fmt: ReportFormat, column_code: str) -> str:
    return next(c.label for c in fmt.table("applications").columns if c.code == column_code)


def check_numbers(fmt: ReportFormat, cells: dict) -> list[Violation]:
    """N1: every cell holds a clean number (None means unread and is left to the reader's problems)."""
    out = []
    for code, kind in fmt.cell_kinds().items():
        value = cells.get(code)
        if value is None or (type(value) is int and value >= 0) or is_clean(value, kind):
            continue
        what = "非负整数" if kind not in (CHANGE, AMOUNT) else ("整数" if kind == CHANGE else "非负金额")
        out.append(_v("N1", [code], f"{cell_label(fmt, code)}的值“{value}”不是规范的{what}"))
    return out


def _application_identities(fmt: ReportFormat) -> tuple[list, list]:
    """The cells of table 三's identities, per column (A1, A2) and per row (A3); derived once per format."""
    plan = _IDENTITIES.get(id(fmt))
    if plan is None or plan[0] is not fmt:
        table = fmt.table("applications")
        outcome_rows = [r.code for r in table.rows if r.code not in NON_OUTCOME_ROWS]
        columns = []
        for column in table.columns:
            def c(row: str, col=column.code) -> str:
                return f"applications.{row}.{col}"
            columns.append((column, [c("new_received"), c("carried_over"), c("total_handled"), c("carried_forward")],
                            [c(r) for r in outcome_rows] + [c("total_handled")]))
        rows = [(row, [f"applications.{row.code}.{t}" for t in APPLICANT_TYPES] + [f"applications.{row.code}.total"])
                for row in table.rows]
        plan = _IDENTITIES[id(fmt)] = (fmt, columns, rows)
    return plan[1], plan[2]


_IDENTITIES: dict[int, tuple] = {}


def check_applications(fmt: ReportFormat, cells: dict) -> list[Violation]:
    """A1, A2 and A3 within table 三."""
    kinds = fmt.cell_kinds()
    columns, rows = _application_identities(fmt)
    out = []
    for column, a1, a2 in columns:
        values = _numbers(cells, a1, kinds)
        if values is not None:
            a, b, t, f = values
            if a + b != t + f:
                out.append(_v("A1", list(a1),
                              f"表三 {column.label}列：第一项({a})+第二项({b})≠第三项总计({t})+第四项({f})"))
        values = _numbers(cells, a2, kinds)
        if values is not None:
            s, t = sum(values[:-1]), values[-1]
            if s != t:
                out.append(_v("A2", list(a2), f"表三 {column.label}列：第三项各办理结果之和({s})≠（七）总计({t})"))
    for row, a3 in rows:
        values = _numbers(cells, a3, kinds)
        if values is not None:
            s, t = sum(values[:-1]), values[-1]
            if s != t:
                out.append(_v("A3", list(a3), f"表三「{row.label}」行：六类申请人之和({s})≠总计({t})"))
    return out


def check_appeals(fmt: ReportFormat, cells: dict) -> list[Violation]:
    """R1 within table 四."""
    table = fmt.table("appeals")
    kinds = fmt.cell_kinds()
    out = []
    for row in table.rows:
        parts = [f"appeals.{row.code}.{c}" for c in ("upheld", "corrected", "other", "pending")]
        total = f"appeals.{row.code}.total"
        values = _numbers(cells, parts + [total], kinds)
        if values is None:
            continue
        u, c, o, p, t = values
        if u + c + o + p != t:
            name = "".join(f"{g}·" for g in row.groups) + row.label
            out.append(_v("R1", parts + [total],
                          f"表四 {name}：维持({u})+纠正({c})+其他结果({o})+尚未审结({p})≠总计({t})"))
    return out


def check_carry(fmt: ReportFormat, year: int, cells: dict, *, previous: dict | None, following: dict | None
                ) -> list[Violation]:
    """A4: what a year carries forward, the next year carries over, per column."""
    out = []
    for column in fmt.table("applications").columns:
        over = f"applications.carried_over.{column.code}"
        forward = f"applications.carried_forward.{column.code}"
        if previous is not None:
            pair = _numbers({"a": previous.get(forward), "b": cells.get(over)}, ["a", "b"], {})
            if pair and pair[0] != pair[1]:
                out.append(_v("A4", [over], f"表三 {column.label}列：{year - 1}年第四项结转下年度继续办理({pair[0]})"
                                            f"≠{year}年第二项上年结转({pair[1]})"))
        if following is not None:
            pair = _numbers({"a": cells.get(forward), "b": following.get(over)}, ["a", "b"], {})
            if pair and pair[0] != pair[1]:
                out.append(_v("A4", [forward], f"表三 {column.label}列：{year}年第四项结转下年度继续办理({pair[0]})"
                                               f"≠{year + 1}年第二项上年结转({pair[1]})"))
    return out


def check_in_force(fmt: ReportFormat, year: int, cells: dict, *, previous: dict | None) -> list[Violation]:
    """P1 (2021 format): in_force(Y) = in_force(Y−1) + issued(Y) − abolished(Y)."""
    if fmt.code != "2021" or previous is None:
        return []
    out = []
    table = fmt.table("proactive")
    for row_code in ("regulations", "normative_documents"):
        row = table.row(row_code)
        prefix = f"proactive.{row_code}."
        codes = [prefix + "issued", prefix + "abolished", prefix + "in_force"]
        values = _numbers(cells, codes, {})
        before = previous.get(prefix + "in_force")
        if values is None or not is_clean(before, "count"):
            continue
        issued, abolished, in_force = values
        if before + issued - abolished != in_force:
            out.append(_v("P1", codes, f"表二 {row.label}：{year - 1}年现行有效件数({before})+本年制发件数({issued})"
                                       f"−本年废止件数({abolished})≠现行有效件数({in_force})"))
    return out


def check_project_counts(fmt: ReportFormat, year: int, cells: dict, *, previous: dict | None,
                         following: dict | None) -> list[Violation]:
    """P2 (2019 format): previous_year_items(Y) + change(Y) = previous_year_items(Y+1)."""
    if fmt.code != "2019":
        return []
    out = []
    table = fmt.table("proactive")
    for row in table.rows:
        if not any(c.code == "change" for c in row.columns):
            continue
        before, change = f"proactive.{row.code}.previous_year_items", f"proactive.{row.code}.change"
        pairs = []
        if previous is not None:
            pairs.append((year - 1, previous, cells, [before]))
        if following is not None:
            pairs.append((year, cells, following, [before, change]))
        for y, this, nxt, named in pairs:
            p, ch, n = this.get(before), this.get(change), nxt.get(before)
            if not (is_clean(p, "count") and is_clean(ch, CHANGE) and is_clean(n, "count")):
                continue
            if p + ch != n:
                out.append(_v("P2", named, f"表二 {row.label}：{y}年上一年项目数量({p})+本年增/减({ch})"
                                           f"≠{y + 1}年上一年项目数量({n})"))
    return out


@dataclass(frozen=True)
class Quote:
    """A figure the narrative states, and what it must equal: a cell or a fact of the records."""

    pattern: str
    target: str
    label: str
    fixed: int | None = None


# Phrases annual reports use to quote their figures; the first group is the number.
QUOTES = (
    Quote(r"主动公开(?:各类)?(?:政府)?信息\s*(\d+)\s*条", "fact:items_published", "全年主动公开政府信息条数"),
    Quote(r"(?:新收|收到|受理)(?:政府信息公开|依申请公开)?申请\s*(\d+)\s*件", "applications.new_received.total",
          "本年新收政府信息公开申请数量"),
    Quote(r"无依申请公开(?:件|申请)", "applications.new_received.total", "本年新收政府信息公开申请数量", fixed=0),
    Quote(r"行政复议(?:案件)?\s*(\d+)\s*(?:件|起)", "appeals.reconsideration.total", "行政复议总计"),
    Quote(r"收取(?:政府)?信息处理费\s*(\d+(?:\.\d+)?)\s*元", "fact:fees_amount", "本年实际收取的信息处理费（元）"),
    Quote(r"未(?:实际)?收取(?:政府)?信息处理费", "fact:fees_amount", "本年实际收取的信息处理费（元）", fixed=0),
)


def check_narrative(fmt: ReportFormat, cells: dict, *, narrative: str, facts: dict) -> list[Violation]:
    """T1: figures quoted in the narrative agree with the tables and the records."""
    out = []
    for quote in QUOTES:
        for match in re.finditer(quote.pattern, narrative or ""):
            stated = quote.fixed if quote.fixed is not None else Decimal(match.group(1))
            if quote.target.startswith("fact:"):
                actual, cells_named = facts.get(quote.target[5:]), []
            else:
                actual, cells_named = cells.get(quote.target), [quote.target]
            if actual is None or stated == actual:
                continue
            out.append(_v("T1", cells_named, f"正文“{match.group(0).strip()}”与{quote.label}({actual})不一致"))
    return out


def run_checks(fmt: ReportFormat, year: int, cells: dict, *, previous: dict | None = None,
               following: dict | None = None, narrative: str = "", facts: dict | None = None) -> list[Violation]:
    """Every rule of DOMAIN.md §2.6 that applies to the format; ``previous`` and
    ``following`` are the neighbouring years' cells when those years are known."""
    return [
        *check_numbers(fmt, cells),
        *check_applications(fmt, cells),
        *check_appeals(fmt, cells),
        *check_carry(fmt, year, cells, previous=previous, following=following),
        *check_in_force(fmt, year, cells, previous=previous),
        *check_project_counts(fmt, year, cells, previous=previous, following=following),
        *check_narrative(fmt, cells, narrative=narrative, facts=facts or {}),
    ]


def has_errors(violations: list[Violation]) -> bool:
    return any(v.severity == ERROR for v in violations)
