"""A seeded generator of records with counts known independently of the engine."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from gongkai.appeals.models import AppealCase, AppealKind, AppealResult
from gongkai.applications.models import ApplicantType, Application, Channel, Outcome
from gongkai.catalogue.models import DocumentType, Item, Validity


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


@dataclass
class Generated:
    applications: list = field(default_factory=list)
    items: list = field(default_factory=list)
    appeals: list = field(default_factory=list)


def generate(agency, *, seed: int, applications: int = 120, items: int = 60, appeals: int = 30,
             first: date = date(2018, 6, 1), last: date = date(2024, 12, 31)) -> Generated:
    """Random applications, items and appeals between ``first`` and ``last``:
    every applicant type and outcome, open and concluded, some across years."""
    rng = random.Random(seed)
    out = Generated()
    types, outcomes = list(ApplicantType.values), list(Outcome.values)
    for _ in range(applications):
        received = _day(rng, first, last)
        concluded = received + timedelta(days=rng.randrange(0, 90)) if rng.random() < 0.85 else None
        out.applications.append(Application(
            agency=agency, applicant_type=rng.choice(types), channel=rng.choice(Channel.values),
            received_on=received, concluded_on=concluded, outcome=rng.choice(outcomes) if concluded else "",
        ))
    for i in range(items):
        formed = _day(rng, first, last)
        published = formed + timedelta(days=rng.randrange(0, 40)) if rng.random() < 0.9 else None
        abolished = formed + timedelta(days=rng.randrange(30, 900)) if rng.random() < 0.3 else None
        out.items.append(Item(
            agency=agency, title=f"测试文件{i}", document_type=rng.choice(DocumentType.values),
            formed_on=formed, published_on=published, abolished_on=abolished,
            validity=Validity.ABOLISHED if abolished else Validity.VALID,
        ))
    for i in range(appeals):
        filed = _day(rng, first, last)
        decided = filed + timedelta(days=rng.randrange(10, 400)) if rng.random() < 0.8 else None
        out.appeals.append(AppealCase(
            agency=agency, kind=rng.choice(AppealKind.values), case_number=f"测{i}", filed_on=filed,
            decided_on=decided, result=rng.choice(AppealResult.values) if decided else "",
        ))
    Application.objects.bulk_create(out.applications)
    Item.objects.bulk_create(out.items)
    AppealCase.objects.bulk_create(out.appeals)
    return out


def expected_cells(fmt, year: int, generated: Generated, figures: dict | None = None) -> dict:
    """The report's cells counted one record at a time, straight from DOMAIN.md §2.5."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    cells = {code: 0 for code in fmt.cell_codes()}
    is_open_on = lambda a, d: a.received_on <= d and (a.concluded_on is None or a.concluded_on > d)  # noqa: E731
    for a in generated.applications:
        if a.received_on is None:  # awaiting confirmation: not yet received in law
            continue
        rows = []
        if start <= a.received_on <= end:
            rows.append("new_received")
        if a.received_on < start and is_open_on(a, start - timedelta(days=1)):
            rows.append("carried_over")
        if a.concluded_on and start <= a.concluded_on <= end:
            rows.append("total_handled")
            outcome_row = a.outcome
            if fmt.code == "2019" and outcome_row.startswith("other."):
                outcome_row = "other"
            rows.append(outcome_row)
        if is_open_on(a, end):
            rows.append("carried_forward")
        for row in rows:
            cells[f"applications.{row}.{a.applicant_type}"] += 1
            cells[f"applications.{row}.total"] += 1
    for c in generated.appeals:
        if start <= c.filed_on <= end:
            column = c.result if c.decided_on and c.decided_on <= end else "pending"
            cells[f"appeals.{c.kind}.{column}"] += 1
            cells[f"appeals.{c.kind}.total"] += 1
    rows = {"regulation": "regulations", "normative_document": "normative_documents"}
    for item in generated.items:
        if item.document_type not in rows or item.published_on is None:
            continue
        row = f"proactive.{rows[item.document_type]}"
        alive = item.abolished_on is None or item.abolished_on > end
        if fmt.code == "2019":
            cells[f"{row}.new_made"] += start <= item.formed_on <= end
            cells[f"{row}.new_published"] += start <= item.published_on <= end
            cells[f"{row}.total_published"] += item.published_on <= end and alive
        else:
            cells[f"{row}.issued"] += start <= item.formed_on <= end
            cells[f"{row}.abolished"] += bool(item.abolished_on and start <= item.abolished_on <= end)
            cells[f"{row}.in_force"] += item.formed_on <= end and alive
    for field_name, value in (figures or {}).items():
        row, column = _split_figure_field(fmt, field_name)
        if f"proactive.{row}.{column}" in cells:
            cells[f"proactive.{row}.{column}"] = value
    return cells


def _split_figure_field(fmt, field_name: str) -> tuple[str, str]:
    for row in fmt.table("proactive").rows:
        if field_name.startswith(row.code + "_"):
            return row.code, field_name[len(row.code) + 1:]
    return "", field_name
