"""The JSON Schema of the canonical report: every document ``Report.canonical()``
emits validates, and documents a careless producer might send do not."""

import copy
import json
from decimal import Decimal

import pytest
from jsonschema import Draft202012Validator, ValidationError

from gongkai.agencies.models import Agency, Region
from gongkai.reports.checks import run_checks
from gongkai.reports.formats import AMOUNT, CHANGE, FORMATS
from gongkai.reports.schema import SCHEMA_PATH, load_schema, report_errors, validate_report
from gongkai.reports.schema.generate import schema_text
from gongkai.reports.selectors import Report, agency_report, region_report

from .records import generate


def distinct_cells(fmt) -> dict:
    """A different value in every cell: counts 1, 2, …; changes negative; amounts with a fraction."""
    cells = {}
    for i, (code, kind) in enumerate(fmt.cell_kinds().items(), start=1):
        cells[code] = -i if kind == CHANGE else Decimal(f"{i}.2500") if kind == AMOUNT else i
    return cells


def make_report(fmt_code: str, year: int, *, region: bool = False, cells: dict | None = None) -> Report:
    fmt = FORMATS[fmt_code]
    cells = distinct_cells(fmt) if cells is None else cells
    owner = {"region": Region(code="xianyou", name="仙游县")} if region else {
        "agency": Agency(code="xianyou-gxj", name="仙游县工业和信息化局")}
    return Report(fmt, year, cells, checks=run_checks(fmt, year, cells), **owner)


def doc_for(fmt_code: str = "2021", year: int = 2023, **kwargs) -> dict:
    # Through JSON text, as a consumer receives it.
    return json.loads(json.dumps(make_report(fmt_code, year, **kwargs).canonical(), ensure_ascii=False))


class TestSchemaFile:
    def test_is_a_valid_draft_2020_12_schema(self):
        schema = load_schema()
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        Draft202012Validator.check_schema(schema)

    def test_agrees_with_the_formats(self):
        """The committed spec is what ``generate.py`` writes from formats.py; rerun it after changing a format."""
        assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text()

    def test_load_schema_returns_a_fresh_copy(self):
        load_schema()["title"] = "changed"
        assert load_schema()["title"] != "changed"


class TestValidDocuments:
    @pytest.mark.parametrize("fmt_code,year", [("2019", 2019), ("2019", 2020), ("2021", 2021), ("2021", 2023)])
    def test_agency_report_with_violations_validates(self, fmt_code, year):
        doc = doc_for(fmt_code, year)
        assert doc["checks"], "distinct figures break the identities, so checks are present"
        validate_report(doc)
        assert report_errors(doc) == []

    @pytest.mark.parametrize("fmt_code,year", [("2019", 2020), ("2021", 2023)])
    def test_region_report_validates(self, fmt_code, year):
        doc = doc_for(fmt_code, year, region=True)
        assert "region" in doc and "agency" not in doc
        validate_report(doc)

    @pytest.mark.parametrize("fmt_code,year", [("2019", 2020), ("2021", 2023)])
    def test_unreadable_cells_are_null(self, fmt_code, year):
        """An importer marks a cell it could not read as null; the document stays valid."""
        doc = doc_for(fmt_code, year, cells={code: None for code in FORMATS[fmt_code].cell_codes()})
        assert doc["applications"]["withheld"]["state_secret"]["total"] is None
        validate_report(doc)

    def test_whole_amounts_are_integers_in_json_and_valid(self):
        cells = {code: 0 for code in FORMATS["2021"].cell_codes()}
        cells["proactive.fees.amount"] = Decimal("3.0000")
        doc = doc_for("2021", 2023, cells=cells)
        assert doc["proactive"]["fees"]["amount"] == 3
        validate_report(doc)

    @pytest.mark.django_db
    @pytest.mark.parametrize("year", [2020, 2023])
    def test_reports_computed_from_records_validate(self, agency, other_agency, region, year):
        generate(agency, seed=7)
        generate(other_agency, seed=8)
        validate_report(agency_report(agency=agency, year=year).canonical())
        validate_report(region_report(region=region.parent, year=year).canonical())


def _drop(path):
    def mutate(doc):
        *parents, last = path.split(".")
        node = doc
        for part in parents:
            node = node[part]
        del node[last]
    return mutate


def _set(path, value):
    def mutate(doc):
        *parents, last = path.split(".")
        node = doc
        for part in parents:
            node = node[part]
        node[last] = value
    return mutate


def _both(doc):
    doc["region"] = {"code": "xianyou", "name": "仙游县"}


def _row_2019(doc):
    doc["applications"]["other"] = {c: 0 for c in doc["applications"]["new_received"]}


def _row_2021(doc):
    doc["applications"]["other"] = {"no_correction": {c: 0 for c in doc["applications"]["new_received"]}}


INVALID_2021 = {
    "missing row": _drop("applications.withheld.state_secret"),
    "missing 2021 row": _drop("applications.other.unpaid_fee"),
    "missing column": _drop("applications.new_received.total"),
    "missing table": _drop("appeals"),
    "negative count": _set("applications.new_received.total", -1),
    "fractional count": _set("applications.new_received.total", 1.5),
    "count as text": _set("applications.new_received.total", "00"),
    "count as boolean": _set("appeals.reconsideration.total", True),
    "negative amount": _set("proactive.fees.amount", -0.5),
    "2019 row in 2021 format": _row_2019,
    "2019 column in 2021 format": _set("proactive.licensing.previous_year_items", 4),
    "2019-only row in 2021 format": _set("proactive.other_management_services", {"decisions": 0}),
    "unknown row": _set("applications.withdrawn", {}),
    "wrong schema id": _set("schema", "gongkai.annual-report/2"),
    "unknown format": _set("format", "2020"),
    "year before the 条例": _set("year", 2018),
    "year as text": _set("year", "2023"),
    "year outside its format": _set("year", 2020),
    "agency and region": _both,
    "no owner": _drop("agency"),
    "owner without name": _drop("agency.name"),
    "extra property": _set("narrative", "…"),
    "unknown rule": _set("checks", [{"rule": "Z9", "severity": "error", "cells": [], "message": "…"}]),
    "unknown severity": _set("checks", [{"rule": "A1", "severity": "fatal", "cells": [], "message": "…"}]),
    "check without message": _set("checks", [{"rule": "A1", "severity": "error", "cells": []}]),
    "check cells not strings": _set("checks", [{"rule": "A1", "severity": "error", "cells": [1], "message": "…"}]),
}

INVALID_2019 = {
    "2021 row in 2019 format": _row_2021,
    "2021 column in 2019 format": _set("proactive.fees.amount", 0),
    "missing 2019-only row": _drop("proactive.procurement"),
    "negative project count": _set("proactive.licensing.previous_year_items", -2),
    "year outside its format": _set("year", 2021),
}


class TestInvalidDocuments:
    @pytest.mark.parametrize("mutate", INVALID_2021.values(), ids=INVALID_2021.keys())
    def test_2021_document_is_rejected(self, mutate):
        doc = doc_for("2021", 2023)
        validate_report(copy.deepcopy(doc))
        mutate(doc)
        with pytest.raises(ValidationError):
            validate_report(doc)
        assert report_errors(doc)

    @pytest.mark.parametrize("mutate", INVALID_2019.values(), ids=INVALID_2019.keys())
    def test_2019_document_is_rejected(self, mutate):
        doc = doc_for("2019", 2020)
        validate_report(copy.deepcopy(doc))
        mutate(doc)
        with pytest.raises(ValidationError):
            validate_report(doc)

    def test_negative_change_is_allowed(self):
        doc = doc_for("2019", 2020)
        doc["proactive"]["penalty"]["change"] = -5
        validate_report(doc)
