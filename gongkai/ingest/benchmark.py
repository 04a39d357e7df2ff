"""Throughput of the report parser over the test corpus (reports per second).

``make bench`` calls ``measure()``; it needs no database. Each corpus file is
read into memory once; the timed part is what ``gongkai reports parse`` does
per file after reading it — detect the kind, run the reader, parse, check and
build the canonical JSON.
"""

from __future__ import annotations

import time
from pathlib import Path

CORPUS = Path(__file__).with_name("tests") / "corpus"
TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")


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
    """Reports per second: all kinds together, text (plain, web-copied, Markdown, OCR) and HTML."""
    files = _corpus()
    text = [f for f in files if f[0].endswith(TEXT_SUFFIXES)]
    html = [f for f in files if f[0].endswith(HTML_SUFFIXES)]
    _rate(files, 1)  # warm-up: imports, compiled patterns, lazy readers
    overall, parsed = _rate(files, repeat)
    return {
        "reports_per_second": round(overall, 1),
        "text_reports_per_second": round(_rate(text, repeat * 3)[0], 1),
        "html_reports_per_second": round(_rate(html, repeat * 3)[0], 1),
        "corpus_reports": len(files),
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
