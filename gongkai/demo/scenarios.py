"""A handful of the seed bureau's applications still in hand on the demo's "now",
moved through the real workflow services so each step, deadline and audit
entry is what staff would see in a live system."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model

from gongkai.agencies.models import Agency
from gongkai.agencies.workdays import WorkingDayCalendar
from gongkai.applications import workflow as wf
from gongkai.applications.services import application_register

from . import seed

APPLICANTS = (
    # (received, channel, applicant type, name, organisation, what is asked)
    (date(2026, 10, 19), "in_person", "natural_person", "陈建华", "",
     "2025年度仙游县工业企业技术改造专项资金补助企业名单及补助金额"),
    (date(2026, 10, 27), "signed_mail", "commercial_enterprise", "林秀英", "仙游县鲤城红木家具有限公司",
     "仙工信〔2025〕35号文件及其附件"),
    (date(2026, 11, 3), "email", "legal_service_agency", "黄志强", "福建鲤声律师事务所",
     "某电力设施保护行政处罚案件的处罚决定书"),
    (date(2026, 11, 5), "in_person", "natural_person", "郑丽娟", "", "本人所在企业用电增容审批的办理结果"),
    (date(2026, 11, 10), "ordinary_mail", "natural_person", "吴国平", "", "2026年县级工业园区标准化厂房建设规划"),
    (date(2026, 11, 16), "online", "research_institution", "王海燕", "莆田学院产业经济研究所",
     "近三年规模以上工业企业主要经济指标"),
    (date(2026, 11, 18), "online", "natural_person", "李文斌", "", "2026年仙游县惠企政策兑现情况"),
)


def _users(codes: list[str]) -> dict:
    User = get_user_model()
    return {u.username: u for u in User.objects.filter(username__in=codes)}


def run_scenarios(*, agency: Agency, calendar: WorkingDayCalendar) -> int:
    """Register the bureau's open applications and move each to a different step; returns how many."""
    users = _users(["gxj_registrar", "gxj_handler", "gxj_approver"])
    registrar, handler, approver = users["gxj_registrar"], users["gxj_handler"], users["gxj_approver"]
    apps = []
    for received, channel, kind, name, organisation, description in APPLICANTS:
        dates = {"submitted_on": received}
        if channel == "signed_mail":
            dates["signed_for_on"] = received
        elif channel not in ("in_person", "oral") and received < date(2026, 11, 18):
            dates["confirmed_on"] = received
        apps.append(application_register(
            user=registrar, agency=agency, today=received, calendar=calendar,
            data={"applicant_type": kind, "applicant_name": name, "organisation_name": organisation,
                  "channel": channel, "description": description, "phone": "13905940000",
                  "identity_type": "resident_id", "identity_number": "350322198505050017",
                  "delivery_form": "paper", "delivery_method": "mail"},
            **dates))
    for app in apps:
        if app.status == "registered":
            wf.AssignHandler(app, user=registrar, today=app.received_on, calendar=calendar).run(handler=handler)

    def act(cls, app, today, user=handler, **params):
        cls(app, user=user, today=today, calendar=calendar).run(**params)

    overdue, consulting, extended, fee, correction, decided, _pending = apps
    # Left without a reply past its due date: listed as overdue.
    act(wf.RequestExtension, extended, date(2026, 11, 12), days=15, reason="涉及多个股室，需调取往年档案")
    act(wf.DecideExtension, extended, date(2026, 11, 13), user=approver, approve=True,
        notified_on=date(2026, 11, 13))
    act(wf.StartConsultation, consulting, date(2026, 10, 30), party_kind="third_party",
        party_name="仙游县鲤城红木家具有限公司", sent_on=date(2026, 10, 30), note="涉及企业商业秘密")
    act(wf.IssueFeeNotice, fee, date(2026, 11, 12), scheme="per_volume", quantity=180,
        notified_on=date(2026, 11, 12))
    act(wf.RequestCorrection, correction, date(2026, 11, 12), notified_on=date(2026, 11, 12),
        items="请明确所需规划的具体名称或文号")
    act(wf.Decide, decided, date(2026, 11, 19), outcome="disclosed",
        legal_basis="《中华人民共和国政府信息公开条例》第三十六条第（二）项", decided_on=date(2026, 11, 19),
        reply_summary="提供近三年规模以上工业企业主要经济指标统计表")
    del overdue
    return len(apps)


def seed_agency_code() -> str:
    return seed.BUREAU.code
