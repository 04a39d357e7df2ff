"""Throughput of the report parser over the test corpus (reports per second).

``make bench`` (bench/ingest.py) calls ``measure()``; it needs no database.
Each corpus file is read into memory once; the timed part is what ``gongkai
reports parse`` does per file after reading it — detect the kind, run the
reader, parse, check and build the canonical JSON.

``reports_per_second`` is over the text and HTML reports (the forms an
audit of published web pages meets, and the target of issue 7); PDFs, whose
time is pypdf's text extraction (about 0.3 s for a 5-page WPS export), and
DOCX/XLSX are measured apart, and all kinds together.
"""

from __future__ import annotations

import time
from pathlib import Path

CORPUS = Path(__file__).with_name("tests") / "corpus"
TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
OFFICE_SUFFIXES = (".docx", ".xlsx")
PDF_SUFFIXES = (".pdf",)


def _corpus() -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(CORPUS.iterdir())
            if p.is_file() and not p.name.endswith(".json")]


def _rate(files: list[tuple[str, bytes]], repeat: int) -> tuple[float, int]:
    from .selectors import report_parse

    if not files:
        return 0.0, 0
    start = time.perf_counter()
    for _ in range(repeat):
        for name, data in files:
            report_parse(data, name=name).canonical()
    elapsed = time.perf_counter() - start
    return repeat * len(files) / elapsed, repeat * len(files)


def measure(*, repeat: int = 5) -> dict:
    """Reports per second: text and HTML together (the headline), each alone, office files, PDFs, all."""
    files = _corpus()

    def kind(suffixes):
        return [f for f in files if f[0].lower().endswith(suffixes)]

    text, html = kind(TEXT_SUFFIXES), kind(HTML_SUFFIXES)
    _rate(files, 1)  # warm-up: imports, compiled patterns, lazy readers
    headline, parsed = _rate(text + html, repeat * 3)
    return {
        "reports_per_second": round(headline, 1),
        "text_reports_per_second": round(_rate(text, repeat * 3)[0], 1),
        "html_reports_per_second": round(_rate(html, repeat * 3)[0], 1),
        "office_reports_per_second": round(_rate(kind(OFFICE_SUFFIXES), repeat)[0], 1),
        "pdf_reports_per_second": round(_rate(kind(PDF_SUFFIXES), max(1, repeat // 2))[0], 1),
        "all_kinds_reports_per_second": round(_rate(files, repeat)[0], 1),
        "corpus_reports": len(files),
        "text_and_html_reports": len(text) + len(html),
        "reports_parsed": parsed,
        "repeat": repeat,
    }


if __name__ == "__main__":  # pragma: no cover - a developer's shortcut: python -m gongkai.ingest.benchmark
    import json
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    django.setup()
    print(json.dumps(measure(), indent=2))
