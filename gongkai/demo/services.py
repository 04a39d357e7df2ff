"""Writes: load the demo — the region, the agencies, their staff and records.

``demo_load`` may run any number of times: regions, agencies, units and
users are upserted on their natural keys, and every record the demo
generates for its own agencies is deleted and built again from the fixed
seed, inside one transaction. Agencies that are not the demo's are never
touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from time import perf_counter

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from gongkai.agencies.models import Agency, Membership, Region, Role, Supervision, Unit
from gongkai.appeals.models import AppealCase
from gongkai.applications.models import Application, ApplicationSequence, Document
from gongkai.catalogue.models import Attachment, CatalogueEntry, Guide, IndexSequence, Item
from gongkai.catalogue.search import search_rebuild
from gongkai.reports.models import AdministrativeFigures, AnnualReport

from gongkai.agencies.workdays import working_day_calendar
from gongkai.audit.services import audit_chains_reset

from . import seed
from .applicants import complete_applications
from .filing import file_items, guide_write
from .publications import attach_policies, complete_items
from .scenarios import run_scenarios
from .profiles import PROFILES
from .records import AgencySpec, Batch
from .reports import reports_sign_off
from .synthetic import synthetic_batch

# The one password of every demo account (the settings ask for ten characters or more).
DEMO_PASSWORD = "gongkai-demo-2026"

AGENCIES: tuple[AgencySpec, ...] = tuple(p.agency for p in PROFILES)
SUPERVISED_REGION = "xianyou"

SUPERUSER_ROLE = "系统管理员（超级用户）"
SUPERVISOR_ROLE = Supervision._meta.verbose_name


@dataclass(frozen=True)
class StaffSpec:
    username: str
    display_name: str
    agency: str | None = None
    unit: str | None = None
    role: str | None = None


# The seed bureau's staff cover every step: 谁提供，谁审核 (a unit's provider
# and reviewer), the office publishes and registers, a handler answers,
# the deputy head approves. Every other agency has its administrator.
STAFF = (
    StaffSpec("gxj_admin", "工信局机关管理员", "xianyou-gxj", "办公室", Role.AGENCY_ADMIN),
    StaffSpec("gxj_provider", "工信局经济运行股信息提供人", "xianyou-gxj", "经济运行股", Role.PROVIDER),
    StaffSpec("gxj_reviewer", "工信局经济运行股审核人", "xianyou-gxj", "经济运行股", Role.REVIEWER),
    StaffSpec("gxj_publisher", "工信局办公室发布人", "xianyou-gxj", "办公室", Role.PUBLISHER),
    StaffSpec("gxj_registrar", "工信局办公室申请登记人", "xianyou-gxj", "办公室", Role.REGISTRAR),
    StaffSpec("gxj_handler", "工信局综合股申请承办人", "xianyou-gxj", "综合股", Role.HANDLER),
    StaffSpec("gxj_approver", "工信局分管领导", "xianyou-gxj", None, Role.APPROVER),
    *(
        StaffSpec(f"{spec.code.split('-', 1)[1]}_admin", f"{spec.short_name}机关管理员", spec.code,
                  spec.units[0], Role.AGENCY_ADMIN)
        for spec in AGENCIES if spec.code != seed.BUREAU.code
    ),
)
SUPERVISOR = "xianyou_supervisor"
SUPERUSER = "admin"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    agency: str


@dataclass(frozen=True)
class AgencyTotals:
    code: str
    name: str
    items: int
    applications: int
    appeals: int


@dataclass(frozen=True)
class DemoSummary:
    agencies: list[AgencyTotals]
    reports: int
    logins: list[DemoLogin]
    seconds: float

    @property
    def items(self) -> int:
        return sum(a.items for a in self.agencies)

    @property
    def applications(self) -> int:
        return sum(a.applications for a in self.agencies)

    @property
    def appeals(self) -> int:
        return sum(a.appeals for a in self.agencies)


def demo_logins() -> list[DemoLogin]:
    """The demo accounts, as ``make demo`` shows them (from the declarations, no query)."""
    names = {spec.code: spec.name for spec in AGENCIES}
    region = next(r.name for r in seed.REGIONS if r.code == SUPERVISED_REGION)
    return [
        DemoLogin(SUPERUSER, SUPERUSER_ROLE, "全部"),
        DemoLogin(SUPERVISOR, SUPERVISOR_ROLE, f"{region}（全部机关）"),
        *(DemoLogin(s.username, Role(s.role).label, names[s.agency]) for s in STAFF),
    ]


def demo_load(*, stdout=None) -> DemoSummary:
    """Load (or reload) the demo and say what it holds."""
    started = perf_counter()

    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text + "\n")

    # Hash once, before the write transaction: Argon2 is slow on purpose and
    # SQLite holds its write lock for the whole transaction.
    password = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        say("写入区划、机关和股室……")
        regions = _regions_upsert()
        agencies = _agencies_upsert(regions)
        units = _units_upsert(agencies)
        say("重新生成演示记录……")
        _records_delete(list(agencies.values()))
        batch = seed.seed_batch(agency=agencies[seed.BUREAU.code],
                                units={name: units[(seed.BUREAU.code, name)] for name in seed.BUREAU.units})
        batch.extend(synthetic_batch(agencies=agencies, units=units))
        calendar = working_day_calendar()
        sequences = complete_applications(batch.applications, calendar=calendar, seed=20201231)
        index_sequences = complete_items(batch.items, calendar=calendar)
        _batch_save(batch)
        ApplicationSequence.objects.bulk_create(sequences)
        IndexSequence.objects.bulk_create(index_sequences)
        say("写入演示账号……")
        _staff_upsert(agencies, units, regions, password)
        say("办理中的申请……")
        run_scenarios(agency=agencies[seed.BUREAU.code], calendar=calendar)
        attach_policies(agency=agencies[seed.BUREAU.code], user=get_user_model().objects.get(username="gxj_publisher"))
        file_items(agency=agencies[seed.BUREAU.code])
        guide_write(agency=agencies[seed.BUREAU.code])
        reports_sign_off(list(agencies.values()))
        # bulk_create sends no signals: index the demo's public items for search in one pass.
        for agency in agencies.values():
            search_rebuild(agency=agency)
    return DemoSummary(agencies=_totals(batch), reports=len(batch.reports), logins=demo_logins(),
                       seconds=perf_counter() - started)


def _regions_upsert() -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for spec in seed.REGIONS:
        regions[spec.code], _ = Region.objects.update_or_create(
            code=spec.code, defaults={"name": spec.name, "parent": regions.get(spec.parent)})
    return regions


def _agencies_upsert(regions: dict[str, Region]) -> dict[str, Agency]:
    agencies = {}
    for spec in AGENCIES:
        agencies[spec.code], _ = Agency.objects.update_or_create(code=spec.code, defaults={
            "name": spec.name, "short_name": spec.short_name, "organisation_code": spec.organisation_code,
            "region": regions[spec.region],
        })
    return agencies


def _units_upsert(agencies: dict[str, Agency]) -> dict[tuple[str, str], Unit]:
    """The declared units of each demo agency; units added by hand since the last load are removed."""
    units = {}
    for spec in AGENCIES:
        agency = agencies[spec.code]
        agency.units.exclude(name__in=spec.units).delete()
        for name in spec.units:
            units[(spec.code, name)], _ = Unit.objects.get_or_create(agency=agency, name=name)
    return units


def _records_delete(agencies: list[Agency]) -> None:
    """Everything the demo generates for its agencies, appeals first (they point at applications)."""
    for stored in (*Attachment.objects.filter(item__agency__in=agencies), *Document.objects.filter(
            application__agency__in=agencies)):
        stored.file.delete(save=False)
    for model in (AppealCase, Application, Item, AdministrativeFigures, AnnualReport):
        model.objects.filter(agency__in=agencies).delete()
    # The demo's own trail goes with the records it describes (a demo reload, never a live agency): whole
    # chains, so that what remains still verifies (docs/decisions/018).
    audit_chains_reset(agencies=agencies)
    ApplicationSequence.objects.filter(agency__in=agencies).delete()
    IndexSequence.objects.filter(agency__in=agencies).delete()
    CatalogueEntry.objects.filter(agency__in=agencies).delete()
    Guide.objects.filter(agency__in=agencies).delete()


def _batch_save(batch: Batch) -> None:
    Item.objects.bulk_create(batch.items)
    # Saved before the appeals, which take their primary keys.
    Application.objects.bulk_create(batch.applications)
    AppealCase.objects.bulk_create(batch.appeals)
    AdministrativeFigures.objects.bulk_create(batch.figures)
    AnnualReport.objects.bulk_create(batch.reports)


def _staff_upsert(agencies: dict[str, Agency], units: dict[tuple[str, str], Unit], regions: dict[str, Region],
                  password: str) -> None:
    """Demo accounts with their roles; a reload resets their passwords and their roles in demo agencies."""
    User = get_user_model()
    users = {
        spec.username: _user_upsert(User, spec.username, spec.display_name, password)
        for spec in STAFF
    }
    supervisor = _user_upsert(User, SUPERVISOR, "仙游县政务公开办", password)
    _user_upsert(User, SUPERUSER, "系统管理员", password, superuser=True)

    Membership.objects.filter(user__in=users.values(), agency__in=agencies.values()).delete()
    Membership.objects.bulk_create([
        Membership(user=users[s.username], agency=agencies[s.agency], role=s.role,
                   unit=units[(s.agency, s.unit)] if s.unit else None)
        for s in STAFF
    ])
    Supervision.objects.get_or_create(user=supervisor, region=regions[SUPERVISED_REGION])


def _user_upsert(User, username: str, display_name: str, password: str, *, superuser: bool = False):
    user, _ = User.objects.update_or_create(username=username, defaults={
        "first_name": display_name, "is_active": True, "is_staff": superuser, "is_superuser": superuser,
        # Reserved domain (RFC 2606): reminders go to the console backend in the demo, never out.
        "email": f"{username}@demo.gongkai.invalid",
        # The hash made once by demo_load (what set_password would store).
        "password": password,
    })
    return user


def _totals(batch: Batch) -> list[AgencyTotals]:
    counts = {spec.code: [0, 0, 0] for spec in AGENCIES}
    for index, records in enumerate((batch.items, batch.applications, batch.appeals)):
        for record in records:
            counts[record.agency.code][index] += 1
    names = {spec.code: spec.name for spec in AGENCIES}
    return [AgencyTotals(code, names[code], *c) for code, c in counts.items()]
