"""The JSON Schema of the canonical annual-report document (DOMAIN.md §2).

``annual-report.schema.json`` is the spec shared with whoever exchanges
reports with gongkai; ``generate.py`` writes it from ``formats.py``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator

SCHEMA_PATH = Path(__file__).with_name("annual-report.schema.json")


def load_schema() -> dict:
    """A fresh copy of the schema, safe for the caller to modify."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(load_schema())


def validate_report(doc: dict) -> None:
    """Raise ``jsonschema.ValidationError`` (the most relevant error) if ``doc``
    is not a canonical annual report."""
    _validator().validate(doc)


def report_errors(doc: dict) -> list[str]:
    """Every violation, each as "path: message", for an importer to list them all at once."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in sorted(_validator().iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    ]
