"""The parser's throughput over the corpus of text and HTML reports (issue 7's ``gongkai.ingest.benchmark``).

Until that module is on this branch the import fails; the runner then
records the section as missing, with the reason, instead of a figure.
"""

from __future__ import annotations

from bench.common import django_setup, emit


def main():
    django_setup()
    try:
        from gongkai.ingest.benchmark import measure
    except ImportError as e:
        emit({"missing": True, "reason": f"gongkai.ingest.benchmark is not available: {e}"})
        return
    emit(measure())


if __name__ == "__main__":
    main()
