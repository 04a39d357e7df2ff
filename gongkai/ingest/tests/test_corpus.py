"""Every report of the test corpus parses to its expected canonical JSON.

The corpus (``make_corpus.py``) covers each input form — HTML with rowspans
and colspans, text copied from a page with run-together digits or blank
cells, Markdown from PDF conversion with a page break inside a table, OCR
text with broken labels and slips, full-width digits, DOCX and XLSX with
merged cells — in both formats, with missing rows, reordered rows and
totals that do not add up. A cell is null exactly where the print does not
determine it, and each defect is flagged by its rule.
"""

import json
from pathlib import Path

import pytest

from gongkai.ingest.selectors import report_parse_file
from gongkai.reports.schema import validate_report

CORPUS = Path(__file__).with_name("corpus")
EXPECTED = sorted(CORPUS.glob("*.expected.json"))


def _source(expected: Path) -> Path:
    stem = expected.name.removesuffix(".expected.json")
    return next(p for p in CORPUS.iterdir() if p.stem == stem and not p.name.endswith(".json"))


def _tables(doc: dict) -> dict:
    return json.loads(json.dumps({k: v for k, v in doc.items() if k not in ("problems", "source")}))


def _checks(doc: dict) -> list:
    return sorted((c["rule"], tuple(c["cells"])) for c in doc["checks"])


def test_the_corpus_has_at_least_twelve_reports_of_both_formats():
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in EXPECTED]
    assert len(docs) >= 14
    assert {d["format"] for d in docs} == {"2019", "2021"}
    assert {_source(p).suffix for p in EXPECTED} == {".html", ".txt", ".md", ".docx", ".xlsx", ".pdf"}


@pytest.mark.parametrize("expected_path", EXPECTED, ids=[p.name.removesuffix(".expected.json") for p in EXPECTED])
class TestCorpus:
    def test_cells_and_checks(self, expected_path):
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        doc = report_parse_file(_source(expected_path)).canonical()
        validate_report(doc)
        got, want = _tables(doc), _tables(expected)
        assert _checks(got) == _checks(want)
        for key in ("agency", "year", "format", "proactive", "applications", "appeals"):
            assert got[key] == want[key], key

    def test_unreadable_cells_are_named(self, expected_path):
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        doc = report_parse_file(_source(expected_path)).canonical()
        unreadable = {p["cell"] for p in doc["problems"] if p["kind"] == "unreadable"}
        assert unreadable == {p["cell"] for p in expected["problems"] if p["kind"] == "unreadable"}
        assert all(p["message"] for p in doc["problems"])

    def test_inferred_cells_are_recorded(self, expected_path):
        """A cell read by splitting, placing or a nil mark has a note on it or on its row."""
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        doc = report_parse_file(_source(expected_path)).canonical()
        noted = [p["cell"] for p in doc["problems"] if p["kind"] == "inferred"]
        for want in (p["cell"] for p in expected["problems"] if p["kind"] == "inferred"):
            assert any(want == c or want.startswith(c + ".") for c in noted), want
