"""Fill in what the staff workflow records for the demo's generated applications.

The synthetic generator decides when each application arrived and how it
ended; here each one gets a plausible applicant (fictitious names, identity
numbers with a valid GB 11643 check digit, phone numbers), its serial number,
its reply clock and due date, and — when concluded — a legal basis, delivery
and archiving, as if the workflow had run. Deterministic: same input, same output.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import timedelta

from gongkai.agencies.workdays import WorkingDayCalendar
from gongkai.applications.models import Application, ApplicationSequence, DeliveryForm, DeliveryMethod, IdentityType, Status

from .records import AS_OF

SURNAMES = "陈林黄郑吴王李张刘蔡杨许徐朱余傅何曾"
GIVEN = ("建华", "秀英", "志强", "丽娟", "国平", "海燕", "文斌", "美玲", "金水", "晓东", "雪梅", "春生", "宏伟", "静怡")
ORGANISATIONS = {
    "commercial_enterprise": ("仙游县{}工艺品有限公司", "莆田市{}建材有限公司", "仙游县{}电子科技有限公司"),
    "research_institution": ("莆田学院{}研究所", "福建省{}技术研究院"),
    "social_welfare_organization": ("仙游县{}公益服务中心", "仙游县{}志愿者协会"),
    "legal_service_agency": ("福建{}律师事务所", "仙游县{}法律服务所"),
    "other_organization": ("仙游县{}村民委员会", "仙游县{}商会"),
}
PLACES = ("鲤城", "枫亭", "榜头", "度尾", "盖尾", "钟山", "大济", "龙华")

LEGAL_BASIS = {
    "disclosed": "《中华人民共和国政府信息公开条例》第三十六条第（二）项",
    "partially_disclosed": "《中华人民共和国政府信息公开条例》第三十七条",
    "withheld": "《中华人民共和国政府信息公开条例》第十四条、第十五条、第十六条，第三十六条第（三）项",
    "unavailable": "《中华人民共和国政府信息公开条例》第三十六条第（四）项、第三十八条",
    "not_processed": "《中华人民共和国政府信息公开条例》第三十五条、第三十六条第（六）项、第三十九条",
    "other": "《中华人民共和国政府信息公开条例》第三十条、第四十二条",
}
GB11643_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
GB11643_CHECK = "10X98765432"


def identity_number(rng: random.Random) -> str:
    """A fictitious 仙游县 (350322) resident ID number with a valid check digit."""
    birth = f"{rng.randint(1950, 2002)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body = f"350322{birth}{rng.randint(0, 999):03d}"
    return body + GB11643_CHECK[sum(int(c) * w for c, w in zip(body, GB11643_WEIGHTS)) % 11]


def _applicant(app: Application, rng: random.Random) -> None:
    app.applicant_name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    app.identity_type = IdentityType.RESIDENT_ID
    app.identity_number = identity_number(rng)
    app.phone = f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}"
    # About a third also give an e-mail address (reserved domain: the demo never mails anyone real).
    app.email = f"xy{rng.randint(100000, 999999)}@example.com" if rng.random() < 0.35 else ""
    app.address = f"福建省莆田市仙游县{rng.choice(PLACES)}镇{rng.randint(1, 200)}号"
    app.postal_code = "351200"
    if app.applicant_type != "natural_person":
        app.organisation_name = rng.choice(ORGANISATIONS[app.applicant_type]).format(rng.choice(PLACES))
        app.legal_representative = rng.choice(SURNAMES) + rng.choice(GIVEN)
    app.delivery_form = rng.choice(DeliveryForm.values)
    app.delivery_method = rng.choice((DeliveryMethod.MAIL, DeliveryMethod.EMAIL, DeliveryMethod.PICK_UP))


def complete_applications(applications: list[Application], *, calendar: WorkingDayCalendar, seed: int
                          ) -> list[ApplicationSequence]:
    """Give each generated application the fields the workflow would have recorded;
    return the numbering counters the serials used, for later registrations to go on from."""
    serials: dict[tuple[int, int], int] = defaultdict(int)
    ordered = sorted(applications, key=lambda a: (a.agency.code, a.received_on, a.description))
    rng = random.Random(seed)
    for app in ordered:
        _applicant(app, rng)
        app.submitted_on = app.clock_started_on = app.received_on
        key = (app.agency.pk, app.received_on.year)
        serials[key] += 1
        app.serial, app.serial_year = serials[key], app.received_on.year
        due = calendar.add_working_days(app.received_on, 20)
        if app.concluded_on is None:
            app.status, app.due_on, app.due_confirmed = Status.REGISTERED, due.day, due.confirmed
            continue
        app.legal_basis = LEGAL_BASIS[app.outcome.split(".")[0]]
        delivered = app.concluded_on + timedelta(days=rng.randint(1, 4))
        if delivered > AS_OF:
            app.status = Status.DECIDED
            continue
        app.delivered_on, app.delivered_by = delivered, app.delivery_method or DeliveryMethod.MAIL
        app.delivery_proof = f"挂号信 XA{rng.randint(10**8, 10**9 - 1)}CN" if app.delivered_by == "mail" else "送达回证"
        archived = delivered + timedelta(days=rng.randint(3, 30))
        if archived > AS_OF:
            app.status = Status.DELIVERED
        else:
            app.status, app.archived_on = Status.ARCHIVED, archived
    return [ApplicationSequence(agency_id=agency_id, year=year, last_serial=last)
            for (agency_id, year), last in sorted(serials.items())]
