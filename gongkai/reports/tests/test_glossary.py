"""docs/glossary.md names every code a report or a record carries.

The codes of ``reports/formats.py`` and the stored values of the models'
``TextChoices`` are the project's vocabulary; the glossary gives each one its
statutory Chinese term. These tests fail, listing the codes, when a code is
added or renamed without a glossary entry. No database is touched.
"""

from pathlib import Path

import pytest

from gongkai.agencies.models import Role
from gongkai.appeals.models import AppealKind, AppealResult
from gongkai.applications.fees import FeeScheme
from gongkai.applications.letters import LetterKind
from gongkai.applications.models import (
    ApplicantType,
    Channel,
    DeliveryForm,
    DeliveryMethod,
    DocumentKind,
    ExtensionStatus,
    IdentityType,
    Opinion,
    Outcome,
    PartyKind,
    Status,
)
from gongkai.catalogue.models import DisclosureMode, DocumentType, Genre, ItemStatus, PublicationChannel, Validity
from gongkai.reports.formats import FORMATS
from gongkai.reports.models import ReportStatus

GLOSSARY = Path(__file__).resolve().parents[3] / "docs" / "glossary.md"


def _missing(codes) -> list[str]:
    """The codes that do not appear in the glossary as `code`, in first-seen order."""
    text = GLOSSARY.read_text(encoding="utf-8") if GLOSSARY.is_file() else ""
    return [code for code in dict.fromkeys(codes) if f"`{code}`" not in text]


def _format_codes(fmt) -> list[str]:
    codes = [fmt.code]
    for table in fmt.tables:
        codes.append(table.code)
        for row in table.rows:
            codes.append(row.code)
            codes.extend(column.code for column in table.row_columns(row))
    codes.extend(fmt.rules)
    return codes


def test_glossary_exists():
    """The glossary lives at docs/glossary.md in the project root."""
    assert GLOSSARY.is_file(), f"{GLOSSARY} is missing"


@pytest.mark.parametrize("format_code", sorted(FORMATS))
def test_glossary_names_every_code_of_the_report_format(format_code):
    """Every table, row and column code and every check rule of a format is backticked in the glossary."""
    missing = _missing(_format_codes(FORMATS[format_code]))
    assert not missing, f"docs/glossary.md lacks these codes of report format {format_code}: " + ", ".join(
        f"`{code}`" for code in missing
    )


@pytest.mark.parametrize(
    "choices",
    [Outcome, ApplicantType, Channel, AppealKind, AppealResult, Role, DocumentType, Validity, Status, IdentityType,
     DeliveryForm, DeliveryMethod, PartyKind, Opinion, ExtensionStatus, FeeScheme, DocumentKind, LetterKind,
     ItemStatus, Genre, DisclosureMode, PublicationChannel, ReportStatus],
    ids=lambda choices: choices.__name__,
)
def test_glossary_names_every_choice_value(choices):
    """Every stored value of the models' TextChoices is backticked in the glossary."""
    missing = _missing(choices.values)
    assert not missing, f"docs/glossary.md lacks these {choices.__name__} values: " + ", ".join(
        f"`{code}`" for code in missing
    )
