"""Reading the figures of one table row when what was printed does not map
one-to-one onto its cells.

A row has ``n`` cells and, for tables 三 and 四, identities (``total = sum of
parts``). The printed tokens may be fewer (a cell lost, or digits run
together: ``640020470`` for 64 | 0 | 0 | 2 | 0 | 4 | 70) or more (a stray
figure). Every reading of the tokens onto the cells is enumerated — splits of
run-together digits, placements of lost cells, choices of the stray token —
and only readings consistent with the identities are kept. A cell is read
when every consistent reading gives it the same value; otherwise it stays
``None`` and the caller reports why. Nothing is picked among several readings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import combinations
from math import comb

# Upper bound on the readings enumerated for one row; beyond it the row is
# reported as too ambiguous instead of being searched for long.
MAX_READINGS = 20000

NUM, BLANK, BAD, NIL = "num", "blank", "bad", "nil"


@dataclass(frozen=True)
class Token:
    """One printed figure: a number (``value`` None when it is not a clean
    number, e.g. "00"), a blank cell, an unreadable mark ("O", "l") or a
    nil mark ("—", "/", "无", read as 0)."""

    kind: str
    raw: str
    value: int | Decimal | None = None
    digits: str | None = None  # a pure digit string, which may be run-together cells


class _Unknown:
    def __repr__(self) -> str:
        return "?"


UNKNOWN = _Unknown()  # a cell with nothing printed (lost or blank)
UNREADABLE = type("_Unreadable", (), {"__repr__": lambda self: "!"})()  # printed, but not a clean number


@dataclass
class RowReading:
    values: list  # int | Decimal | None per cell
    raws: list  # the printed text behind each unreadable cell, else None
    notes: dict = field(default_factory=dict)  # cell index -> why the value was inferred
    row_note: str = ""  # what was done to the row as a whole
    unread: dict = field(default_factory=dict)  # cell index -> why it stays None
    candidates: list | None = None  # the consistent readings, when they disagree
    texts: list | None = None  # each cell's printed text, when figures and cells correspond one to one


def _derive(cells: list, identities, nonnegative: bool) -> list | None:
    """Fill unknown cells the identities determine; None when the cells contradict them."""
    cells = list(cells)
    changed = True
    while changed:
        changed = False
        for total, parts in identities:
            members = [total, *parts]
            if any(cells[i] is UNREADABLE for i in members):
                continue
            unknown = [i for i in members if cells[i] is UNKNOWN]
            known_parts = sum(cells[i] for i in parts if cells[i] is not UNKNOWN)
            if not unknown:
                if known_parts != cells[total]:
                    return None
                continue
            if total in unknown:
                if len(unknown) == 1:
                    cells[total] = known_parts
                    changed = True
                continue
            rest = cells[total] - known_parts
            if nonnegative and rest < 0:
                return None
            if len(unknown) == 1:
                cells[unknown[0]] = rest
                changed = True
            elif nonnegative and rest == 0:
                for i in unknown:
                    cells[i] = 0
                changed = True
    return cells


def _single(token: Token):
    if token.kind == BLANK:
        return UNKNOWN
    if token.kind == NIL:
        return 0
    if token.kind == BAD or token.value is None:
        return UNREADABLE
    return token.value


@lru_cache(maxsize=4096)
def _compositions(digits: str, parts: int) -> tuple[tuple[int, ...], ...]:
    """Ways to cut a digit string into ``parts`` numbers without leading zeros."""
    if parts == 1:
        return ((int(digits),),) if len(digits) == 1 or digits[0] != "0" else ()
    out = []
    widest = 1 if digits[0] == "0" else len(digits) - parts + 1
    for width in range(1, widest + 1):
        head = int(digits[:width])
        out.extend((head, *rest) for rest in _compositions(digits[width:], parts - 1))
    return tuple(out)


def _readings(tokens: list[Token], n: int, *, lost: bool):
    """Every reading of fewer tokens than cells: each token fills one or more consecutive cells (a digit
    string split without leading zeros) and, when ``lost``, cells between them may have been lost.
    Yields (cells, split used, cells lost); the flag returned says the enumeration finished."""
    out: list[tuple[list, bool, bool]] = []

    def walk(i: int, cells: list, split: bool, gaps: bool) -> bool:
        if len(out) > MAX_READINGS:
            return False
        room = n - len(cells)
        if i == len(tokens):
            if room == 0 or lost:
                out.append((cells + [UNKNOWN] * room, split, gaps or room > 0))
            return True
        if room <= 0:
            return True
        if lost and room > len(tokens) - i:
            if not walk(i, cells + [UNKNOWN], split, True):
                return False
        token = tokens[i]
        widest = len(token.digits) if token.digits and len(token.digits) > 1 else 1
        sizes = range(1, min(widest, room - (len(tokens) - i - 1)) + 1)
        if not lost and i == len(tokens) - 1:
            sizes = [room] if room <= widest else []  # the last token fills what is left
        for size in sizes:
            if size > 1 and comb(len(token.digits) - 1, size - 1) > MAX_READINGS:
                return False  # a digit string far too long to enumerate its splits
            if size == 1:
                if not walk(i + 1, cells + [_single(token)], split, gaps):
                    return False
                continue
            for parts in _compositions(token.digits, size):
                if not walk(i + 1, cells + list(parts), True, gaps):
                    return False
        return True

    return out, walk(0, [], False, False)


def _drops(tokens: list[Token], n: int):
    """Every choice of ``n`` of more tokens, in order."""
    for kept in combinations(range(len(tokens)), n):
        yield [_single(tokens[i]) for i in kept]


def _plain(value):
    return None if value is UNKNOWN or value is UNREADABLE else value


def solve_row(tokens: list[Token], n: int, identities=(), *, nonnegative: bool = True,
              separators_lost: bool = False) -> RowReading:
    """The cells of one row from its printed tokens (module docstring)."""
    k = len(tokens)
    if k == n:
        printed = [_single(t) for t in tokens]
        derived = _derive(printed, identities, nonnegative) if identities else None
        cells = derived if derived is not None else printed
        reading = RowReading([_plain(v) for v in cells], [None] * n, texts=[t.raw for t in tokens])
        for i, token in enumerate(tokens):
            if printed[i] is UNREADABLE:
                reading.raws[i] = token.raw
                reading.unread[i] = f"“{token.raw}”不是规范的数字"
                trial = _derive([UNKNOWN if j == i else v for j, v in enumerate(printed)], identities, nonnegative) \
                    if identities else None
                if trial is not None and trial[i] is not UNKNOWN:
                    reading.unread[i] += f"（按本行合计关系应为{trial[i]}，未采用）"
            elif token.kind == NIL:
                reading.notes[i] = f"印为“{token.raw}”，按0计"
            elif token.kind == NUM and token.raw.endswith("元") and not token.raw.endswith("万元"):
                reading.notes[i] = f"印为“{token.raw}”，按万元计为{token.value.normalize():f}"
            elif token.kind == BLANK:
                if cells[i] is UNKNOWN:
                    reading.unread[i] = "空白"
                else:
                    reading.notes[i] = f"空白，按本行合计关系推得{cells[i]}"
        return reading

    if k < n:
        # A row printed as one digit string (640020470) lost its separators, not its cells: it is read
        # by splits alone, when its identity confirms one. Otherwise lost cells and run-together figures
        # are both possible, alone or together (and a row of table 二 has no identity to confirm a
        # split), so every such reading counts.
        # ``separators_lost``: the document prints its table 三 rows as digit strings, so it is known to
        # lose separators, not cells; then a row of table 二 printed as one string is split too — when
        # only one split exists (as many digits as cells, or leading zeros ruling the others out).
        only_split = k == 1 and (bool(identities) or separators_lost)
        readings, complete = _readings(tokens, n, lost=not only_split)
        if not complete:
            return _unread(tokens, n, f"可能的读法过多（超过{MAX_READINGS}种），无法确定")
        kept = []
        for cells, split, gaps in readings:
            cells = _derive(cells, identities, nonnegative) if identities else cells
            if cells is not None:
                kept.append((cells, split, gaps))
        splits = [t for t in tokens if t.digits and len(t.digits) > 1]
        joined = "、".join(f"“{t.raw}”" for t in splits)
        used_split = any(split for _, split, _ in kept)
        used_gaps = any(gaps for _, _, gaps in kept)
        if used_split and not used_gaps:
            how = f"连写数字{joined}按本行合计关系拆分" if identities else \
                f"连写数字{joined}只有一种拆法（本文件表三各行的数字均连写）"
        elif used_split:
            how = f"本行印有{k}个数值（应为{n}个），可能是连写数字{joined}，也可能缺了单元格"
        elif splits and only_split:
            how = f"连写数字{joined}"
        else:
            how = f"本行只印有{k}个数值（应为{n}个）"
        consistent = list({repr(c): c for c, _, _ in kept}.values())
    else:
        if comb(k, n) > MAX_READINGS:
            return _unread(tokens, n, f"本行印有{k}个数值（应为{n}个），无法确定对应的单元格")
        consistent = _consistent(_drops(tokens, n), identities, nonnegative)
        how = f"本行印有{k}个数值（应为{n}个）"
    return _merge(tokens, n, consistent, how, bool(identities))


def _consistent(readings, identities, nonnegative: bool) -> list[list]:
    out = []
    for cells in readings:
        derived = _derive(cells, identities, nonnegative) if identities else cells
        if derived is not None:
            out.append(derived)
        if len(out) > MAX_READINGS:
            break
    return out


def _unread(tokens: list[Token], n: int, why: str) -> RowReading:
    raw = " ".join(t.raw for t in tokens)
    reading = RowReading([None] * n, [None] * n, row_note=why)
    for i in range(n):
        reading.unread[i] = f"{why}（印为“{raw}”）"
    return reading


def _merge(tokens: list[Token], n: int, readings: list[list], how: str, checked: bool = True) -> RowReading:
    raw = " ".join(t.raw for t in tokens)
    if not readings:
        return _unread(tokens, n, f"{how}，没有一种读法符合本行合计关系")
    reading = RowReading([None] * n, [None] * n, row_note=f"{how}：“{raw}”")
    ambiguous = False
    for i in range(n):
        values = {repr(r[i]) for r in readings}
        value = readings[0][i]
        if len(values) == 1 and value is not UNKNOWN and value is not UNREADABLE:
            reading.values[i] = value
            reading.notes[i] = f"{how}，唯一{'符合合计关系的' if checked else '可能的'}读法（印为“{raw}”）"
        else:
            ambiguous = ambiguous or len(values) > 1
            if len(values) > 1:
                reading.unread[i] = f"{how}，有{len(readings)}种读法{'符合合计关系' if checked else ''}，无法确定（印为“{raw}”）"
            else:
                reading.unread[i] = f"{how}，无法确定（印为“{raw}”）"
    if ambiguous and len(readings) <= 500:
        reading.candidates = readings
    return reading
