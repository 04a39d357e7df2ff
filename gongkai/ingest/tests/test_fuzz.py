"""Property tests of the text parser on mangled report texts (hypothesis).

A clean report is rendered from random figures that satisfy every identity
(A1, A2, A3, R1); then lines are mangled the ways OCR and copying from web
pages do — a figure dropped, figures run together, a blank or an unreadable
mark instead of a figure, a doubled zero, a stray figure, a label damaged,
a row split over two lines, a page break with the header repeated.

None of these manglings prints a *different* number in place of the true
one, so what can be asserted is soundness: the parser never raises, and
every cell it reports non-null equals the clean source. (Nulls are allowed:
how much is recovered depends on the mangling.) Free-form garbage, finally,
never makes the parser raise anything but ``NotAReport``.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.ingest.parser import NotAReport, parse_lines
from gongkai.ingest.readers import text_lines
from gongkai.ingest.tests.make_corpus import Spec, cells_of, render_text
from gongkai.reports.formats import APPLICANT_TYPES, FORMATS, NON_OUTCOME_ROWS

SETTINGS = settings(max_examples=100, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def figures(draw):
    fmt = FORMATS[draw(st.sampled_from(["2019", "2021"]))]
    year = 2020 if fmt.code == "2019" else 2023
    small = st.integers(0, 30)
    values = {}
    table = fmt.table("applications")
    outcomes = [r.code for r in table.rows if r.code not in NON_OUTCOME_ROWS]
    columns = {}
    for column in APPLICANT_TYPES:
        rows = {code: draw(st.integers(0, 12)) if draw(st.booleans()) else 0 for code in outcomes}
        handled = sum(rows.values())
        over, forward = draw(small), draw(small)
        new = handled + forward - over
        if new < 0:
            over, new = 0, handled + forward
        rows.update(new_received=new, carried_over=over, total_handled=handled, carried_forward=forward)
        columns[column] = rows
    for row in table.rows:
        values[f"applications.{row.code}"] = tuple(columns[c][row.code] for c in APPLICANT_TYPES)
    for row in fmt.table("appeals").rows:
        values[f"appeals.{row.code}"] = tuple(draw(st.integers(0, 5)) for _ in range(4))
    for row in fmt.table("proactive").rows:
        cols = fmt.table("proactive").row_columns(row)
        values[f"proactive.{row.code}"] = tuple(
            draw(st.integers(-5, 50)) if c.kind == "change" else draw(st.integers(0, 500)) for c in cols)
    sep = draw(st.sampled_from([" ", "\t", "  "]))
    return Spec("fuzz", "仙游县工业和信息化局", year, fmt.code, "text", values, sep=sep)


MANGLES = ("drop", "join", "blank", "ocr", "double", "stray", "label", "split", "page", "fullwidth", "dash")


def _figure_positions(line: str, sep: str) -> list[int]:
    parts = line.split(sep)
    return [i for i, p in enumerate(parts) if p.strip().isdigit()]


def mangle(text: str, sep: str, ops: list[tuple[int, str, int]]) -> str:
    lines = text.split("\n")
    table_lines = [i for i, line in enumerate(lines) if len(_figure_positions(line, sep)) >= 1
                   and not line.startswith("本报告")]
    dropped: set[int] = set()
    strays: set[int] = set()
    for pick, op, k in ops:
        i = table_lines[pick % len(table_lines)]
        parts = lines[i].split(sep)
        figs = _figure_positions(lines[i], sep)
        if not figs:
            continue
        j = figs[k % len(figs)]
        # A row reduced to one digit string is read as run-together figures (decision 016): it must not
        # also have lost a figure, or the truth is not among the readings the parser considers.
        if op in ("drop", "join") and len(figs) <= 2 and (op == "drop" or i in dropped):
            continue
        # A figure lost and a stray one added to the same row leave as many figures as cells, shifted:
        # that row is read as printed and its total check (A3) fails — a wrong print, not a misreading.
        if (op == "drop" and i in strays) or (op == "stray" and i in dropped):
            continue
        if op == "drop":
            dropped.add(i)
        if op == "stray":
            strays.add(i)
            del parts[j]
        elif op == "join" and j + 1 < len(parts) and parts[j + 1].strip().isdigit():
            parts[j:j + 2] = [parts[j] + parts[j + 1]]
        elif op == "blank":
            parts[j] = ""
        elif op == "ocr":
            parts[j] = {"0": "O", "1": "l"}.get(parts[j], parts[j])
        elif op == "double" and parts[j] == "0":
            parts[j] = "00"
        elif op == "stray" and j > 0:
            parts.insert(j, "0")
        elif op == "label" and figs[0] > 0 and len(parts[0]) > 4:
            label = parts[0]
            cut = k % (len(label) - 2)
            parts[0] = label[:cut] + label[cut + 2:]
        elif op == "split":
            parts[j] = "\n" + parts[j]
        elif op == "fullwidth":
            parts[j] = parts[j].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        elif op == "dash" and parts[j] == "0":
            parts[j] = "—"
        elif op == "page":
            parts[0] = "\n- 2 -\n申请人情况\n自然人 法人或其他组织 总计\n" + parts[0]
        lines[i] = sep.join(parts)
    return "\n".join(lines)


@SETTINGS
@given(spec=figures(), ops=st.lists(st.tuples(st.integers(0, 200), st.sampled_from(MANGLES), st.integers(0, 20)),
                                    max_size=6))
def test_every_cell_read_from_a_mangled_report_is_the_true_one(spec, ops):
    truth = cells_of(FORMATS[spec.format], spec)
    text = mangle(render_text(spec), spec.sep, ops)
    report = parse_lines(text_lines(text))
    assert report.format.code == spec.format and report.year == spec.year
    wrong = {code: (value, truth[code]) for code, value in report.cells.items()
             if value is not None and value != truth[code]}
    assert not wrong, (wrong, text)


@SETTINGS
@given(spec=figures())
def test_a_clean_report_is_read_completely(spec):
    report = parse_lines(text_lines(render_text(spec)))
    assert report.cells == cells_of(FORMATS[spec.format], spec)
    assert not [p for p in report.problems if p.kind == "unreadable"]
    assert not [c for c in report.checks if c.severity == "error"]


@SETTINGS
@given(spec=figures(), cut=st.floats(0, 1))
def test_a_truncated_report_never_raises(spec, cut):
    text = render_text(spec)
    end = int(len(text) * cut)
    # Cut between figures: a cut through a number prints a different number ("12" → "1").
    while end > 0 and not text[end - 1].isspace():
        end -= 1
    try:
        report = parse_lines(text_lines(text[:end]))
    except NotAReport:
        return
    truth = cells_of(FORMATS[spec.format], spec)
    # The last row read may have lost figures; what is read is still true.
    assert all(v is None or v == truth[c] for c, v in report.cells.items())


@SETTINGS
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=3000)
       | st.lists(st.sampled_from(["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                                   "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
                                   "行政许可", "1.属于国家秘密", "（七）总计", "0", "12", "640020470", "\t",
                                   "00", "—", "O", "- 3 -", "2023年", "万元", "\n", " ", "（六）其他处理", "3.其他"]),
                  max_size=300).map("".join))
def test_garbage_never_raises_anything_but_not_a_report(text):
    try:
        parse_lines(text_lines(text))
    except NotAReport:
        pass


def test_huge_rows_are_refused_quickly():
    """Thousands of figures or a digit string of thousands of digits in a table: unread, not enumerated."""
    base = render_text(Spec("huge", "仙游县工业和信息化局", 2023, "2021", "text", {}))
    for junk in ("1" * 5000, " ".join(["1"] * 3000), "1" * 39 + " 12 3 " + "9" * 39):
        text = base.replace("二、上年结转政府信息公开申请数量", "二、上年结转政府信息公开申请数量 " + junk + " ", 1)
        report = parse_lines(text_lines(text))
        # Strays the row's total rules out may be dropped; what is read is still the truth (0).
        assert all(report.cells[f"applications.carried_over.{c}"] in (None, 0) for c in APPLICANT_TYPES)
        assert report.cells["applications.new_received.total"] == 0
