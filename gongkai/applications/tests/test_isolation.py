"""Every application URL × every kind of user: anonymous, another agency's staff, a member without the role,
the right role.

Another agency's staff get 403 (the agency is not theirs) or 404 (the record is not
in the agency named) and never a byte of the application; a member without the role
gets 403 on writes; the right role gets 200 or the redirect after success.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.agencies.models import Role
from gongkai.applications.models import Application, Document, LetterSettings, LetterTemplate
from gongkai.applications.services import Upload
from gongkai.applications.workflow import ACTIONS
from gongkai.audit.models import AuditEntry

from .test_views import (  # noqa: F401 (fixtures)
    APPLICANT, ID_NUMBER, PDF, PHONE, act, media_root, register_app, register_post, team, today,
)

SECRET = APPLICANT["description"]


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    # Returns (path, POST data or None) for a freshly prepared application.
    build: Callable
    right: str
    wrong: str | None = None  # a member of the agency who lacks the role; None: any member may


def _app(agency, team):
    return register_app(agency, team["registrar"], handler=team["handler"],
                        uploads=[Upload("identity_proof", "身份证.pdf", PDF)])


def _get(name, *, with_app=True, query=""):
    def build(agency, team):
        args = [agency.code] + ([_app(agency, team).pk] if with_app else [])
        if not with_app:
            _app(agency, team)
        return reverse(f"applications:{name}", args=args) + query, None
    return build


def _download(agency, team):
    app = _app(agency, team)
    return reverse("applications:document", args=[agency.code, app.pk, app.documents.get().pk]), None


def _register_post(agency, team):
    _app(agency, team)
    return reverse("applications:register", args=[agency.code]), register_post()


def _upload_post(agency, team):
    app = _app(agency, team)
    return reverse("applications:upload", args=[agency.code, app.pk]), {
        "upload-kind": "attachment", "upload-files": [SimpleUploadedFile("补充.pdf", PDF)]}


def _assign(agency, team):
    app = register_app(agency, team["registrar"])
    return reverse("applications:assign", args=[agency.code, app.pk]), {
        "assign_handler-handler": team["handler2"].pk}


# --- each action, from a state where it is possible --------------------------


def _prepared(code, agency, team):
    r, h, t = team["registrar"], team["handler"], today()
    if code == "confirm_receipt":
        return register_app(agency, r, channel="online")
    if code == "close_unsupplemented":
        past = t - timedelta(days=40)
        app = register_app(agency, r, days_ago=40, handler=h)
        act("request_correction", app, h, past, notified_on=past, items="请写明文号",
            supplement_due_on=past + timedelta(days=1))
        return app
    if code == "close_unpaid":
        past = t - timedelta(days=60)
        app = register_app(agency, r, days_ago=60, handler=h)
        act("issue_fee_notice", app, h, past, scheme="per_volume", quantity=50, notified_on=past)
        return app
    app = register_app(agency, r, handler=h)
    decided = ("decide", {"outcome": "disclosed", "legal_basis": "第三十六条", "decided_on": t})
    before = {
        "record_supplement": [("request_correction", {"notified_on": t, "items": "请写明文号"})],
        "record_opinion": [("start_consultation", {"party_kind": "third_party", "party_name": "某公司", "sent_on": t})],
        "decide_extension": [("request_extension", {"days": 10, "reason": "需调取档案"})],
        "record_payment": [("issue_fee_notice", {"scheme": "per_volume", "quantity": 50, "notified_on": t})],
        "deliver": [decided],
        "archive": [decided, ("deliver", {"delivered_on": t, "method": "mail", "proof": "挂号信"})],
    }
    for step, params in before.get(code, ()):
        act(step, app, h, **params)
    return app


def _payload(code, team):
    t = today().isoformat()
    return {
        "confirm_receipt": {"confirmed_on": t},
        "assign_handler": {"handler": team["handler2"].pk},
        "request_correction": {"notified_on": t, "items": "请写明文号"},
        "record_supplement": {"supplemented_on": t},
        "close_unsupplemented": {"closed_on": t},
        "start_consultation": {"party_kind": "third_party", "party_name": "某公司", "sent_on": t},
        "record_opinion": {"replied_on": t, "opinion": "consent", "consequence": "同意公开"},
        "request_extension": {"days": "10", "reason": "需调取档案"},
        "decide_extension": {"approve": "1", "notified_on": t},
        "issue_fee_notice": {"scheme": "per_volume", "quantity": "50", "notified_on": t},
        "record_payment": {"paid_on": t},
        "close_unpaid": {"closed_on": t},
        "decide": {"outcome": "disclosed", "legal_basis": "第三十六条", "decided_on": t},
        "withdraw": {"withdrawn_on": t},
        "deliver": {"delivered_on": t, "method": "mail", "proof": "挂号信"},
        "archive": {"archived_on": t},
    }[code]


def _action(code):
    def build(agency, team):
        app = _prepared(code, agency, team)
        data = {f"{code}-{k}": v for k, v in _payload(code, team).items()}
        return reverse("applications:action", args=[agency.code, app.pk, code]), data
    return build


# --- letters (告知书) ------------------------------------------------------------


def _letter_create(agency, team):
    app = register_app(agency, team["registrar"], handler=team["handler"])
    act("request_correction", app, team["handler"], notified_on=today(), items="请写明文号")
    return reverse("applications:letter_create", args=[agency.code, app.pk, "correction_notice"]), {"seen": "0"}


def _letters_page(name, *args, data=None, custom=False):
    """A letter settings or template page; ``custom`` gives the agency its own template first."""
    def build(agency, team):
        _app(agency, team)
        if custom:
            LetterTemplate.objects.create(agency=agency, kind="correction_notice", body="{{ applicant }}：\n请补正。")
        return reverse(f"applications:{name}", args=[agency.code, *args]), data
    return build


LETTER_SETTINGS_POST = {"letterhead": "测试县工业和信息化局", "court": "测试县人民法院", "phone": "0594-1234567"}
LETTER_TEMPLATE_POST = {"title": "", "body": "{{ applicant }}：\n请于{{ supplement_due_on }}前补正。"}


ROLE_OF = {"handler": Role.HANDLER, "registrar": Role.REGISTRAR, "approver": Role.APPROVER,
           "provider": Role.PROVIDER}


def _action_case(code) -> Case:
    roles = set(ACTIONS[code].roles)
    right = next(who for who in ("handler", "registrar", "approver") if ROLE_OF[who] in roles)
    wrong = next(who for who in ("approver", "handler", "provider") if ROLE_OF[who] not in roles)
    return Case(f"action:{code}", "post", _action(code), right, wrong)


CASES = [
    Case("list", "get", _get("list", with_app=False), "provider"),
    Case("overdue", "get", _get("overdue", with_app=False), "provider"),
    Case("due_soon", "get", _get("due_soon", with_app=False), "provider"),
    Case("cell_list", "get", _get("list", with_app=False, query="?cell=applications.new_received.total&year=2025"),
         "provider"),
    Case("register:get", "get", _get("register", with_app=False), "registrar", "handler"),
    Case("register:post", "post", _register_post, "registrar", "handler"),
    Case("detail", "get", _get("detail"), "provider"),
    Case("document", "get", _download, "handler", "approver"),
    Case("upload:get", "get", _get("upload"), "handler", "approver"),
    Case("upload:post", "post", _upload_post, "handler", "approver"),
    Case("assign", "post", _assign, "registrar", "handler"),
    *[_action_case(code) for code in ACTIONS],
    Case("letter_create", "post", _letter_create, "handler", "approver"),
    Case("letter_settings:get", "get", _letters_page("letter_settings"), "provider"),
    Case("letter_settings:post", "post", _letters_page("letter_settings", data=LETTER_SETTINGS_POST), "admin",
         "handler"),
    Case("letter_templates", "get", _letters_page("letter_templates"), "provider"),
    Case("letter_template:get", "get", _letters_page("letter_template", "correction_notice"), "provider"),
    Case("letter_template:post", "post",
         _letters_page("letter_template", "correction_notice", data=LETTER_TEMPLATE_POST), "admin", "registrar"),
    Case("letter_template_reset", "post", _letters_page("letter_template_reset", "correction_notice", custom=True),
         "admin", "handler"),
]
WHO = ["anonymous", "outsider", "wrong_role", "right_role"]


def _state():
    """Every write adds an audit entry; the rest catches a write that forgot to."""
    return (sorted(Application.objects.values_list("id", "status", "handler_id", "extension_days")),
            Document.objects.count(), AuditEntry.objects.count(),
            sorted(LetterSettings.objects.values_list("agency_id", "letterhead", "court")),
            sorted(LetterTemplate.objects.values_list("agency_id", "kind", "body")))


@pytest.mark.django_db
@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_matrix(client, agency, team, case, who):
    if who == "wrong_role" and case.wrong is None:
        pytest.skip("every member of the agency may open this page")
    path, data = case.build(agency, team)
    before = _state()
    user = {"anonymous": None, "outsider": team["outsider"], "wrong_role": team.get(case.wrong),
            "right_role": team[case.right]}[who]
    if user is not None:
        client.force_login(user)
    response = client.post(path, data or {}) if case.method == "post" else client.get(path)
    body = b"" if response.streaming else response.content
    text = body.decode("utf-8", "replace")

    if who == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    elif who == "outsider":
        assert response.status_code in (403, 404)
        for secret in (SECRET, APPLICANT["applicant_name"], ID_NUMBER, PHONE, "依申请〔"):
            assert secret not in text
    elif who == "wrong_role":
        assert response.status_code == 403
    else:
        assert response.status_code == (302 if case.method == "post" else 200), text[:2000]
    if who != "right_role":
        assert _state() == before, "nothing may change"
    elif case.method == "post":
        assert _state() != before


def test_every_url_is_in_the_matrix():
    from gongkai.applications.urls import urlpatterns

    assert {p.name for p in urlpatterns} <= {c.name.split(":")[0] for c in CASES}, "add the new URL to CASES"


@pytest.mark.django_db
def test_outsider_cannot_reach_records_through_its_own_agency(client, agency, other_agency, team):
    """An application of agency A under agency B's URL is 404 even for B's administrator."""
    app = _app(agency, team)
    client.force_login(team["outsider"])
    for name, args in (("detail", [app.pk]), ("upload", [app.pk]), ("document", [app.pk, app.documents.get().pk])):
        assert client.get(reverse(f"applications:{name}", args=[other_agency.code, *args])).status_code == 404
    response = client.post(reverse("applications:action", args=[other_agency.code, app.pk, "withdraw"]),
                           {"withdraw-withdrawn_on": today().isoformat()})
    assert response.status_code == 404
    assert Application.objects.get(pk=app.pk).status == "registered"
    act("request_correction", app, team["handler"], notified_on=today(), items="请写明文号")
    response = client.post(reverse("applications:letter_create", args=[other_agency.code, app.pk, "correction_notice"]),
                           {"seen": "0"})
    assert response.status_code == 404 and not app.documents.filter(kind="letter").exists()


@pytest.mark.django_db
def test_supervisors_read_but_never_act(client, agency, team):
    app = _app(agency, team)
    client.force_login(team["supervisor"])
    assert client.get(reverse("applications:detail", args=[agency.code, app.pk])).status_code == 200
    for code in ACTIONS:
        path = reverse("applications:action", args=[agency.code, app.pk, code])
        assert client.post(path, {}).status_code == 403, code
    assert client.get(reverse("applications:register", args=[agency.code])).status_code == 403
    assert client.get(reverse("applications:document", args=[agency.code, app.pk, app.documents.get().pk])
                      ).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["registrar", "handler", "admin", "approver", "provider", "supervisor", "superuser"])
def test_lists_never_show_full_identity_numbers_or_phones(client, agency, team, who):
    app = _app(agency, team)
    register_app(agency, team["registrar"], days_ago=60, phone="0594-7654321", identity_number="11010519491231002X")
    user = User.objects.create_superuser("root") if who == "superuser" else team[who]
    client.force_login(user)
    listing = reverse("applications:list", args=[agency.code])
    for path in (listing,
                 reverse("applications:overdue", args=[agency.code]),
                 reverse("applications:due_soon", args=[agency.code]),
                 f"{listing}?cell=applications.new_received.total&year={app.received_on.year}",
                 f"{listing}?q={app.serial_year}-{app.serial}"):
        html = client.get(path).content.decode()
        for raw in (ID_NUMBER, PHONE, "11010519491231002X", "0594-7654321", "7654321"):
            assert raw not in html, (path, raw)
