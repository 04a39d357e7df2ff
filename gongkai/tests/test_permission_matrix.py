"""The permission matrix of the whole site: every URL pattern is classified here, and every staff view is
checked as role × own/other agency × action.

``test_every_url_is_classified`` walks the project's resolver and fails on a URL that no table below names,
so a view added later must be put in the matrix before the suite passes again:

* ``STAFF_CASES`` (this module) and the per-app matrices it indexes (``ELSEWHERE``: the applications and
  the item pages, which keep their own detailed cases): for each staff view, anonymous → the login page;
  staff of another agency → 403 or 404 with none of the record's data; a member of the agency without the
  role → 403; the right role → 200 (GET) or the redirect after the change (POST). Refusals change nothing
  (records and the audit trail are compared before and after); a permitted POST changes something.
* ``PUBLIC``: the portal, the online channel and sign-in, open to anyone (their own tests live in portal,
  supervision and accounts); ``API``: the read-only public API, checked below never to show another agency's
  non-public data; ``OWN_ACCOUNT``: pages about the signed-in user only; ``ADMIN``: Django's admin, for
  superusers (``is_staff``) only.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from gongkai.agencies.models import Membership, Role, Supervision
from gongkai.audit.models import AuditEntry
from gongkai.catalogue.models import CatalogueEntry, Guide
from gongkai.catalogue.standard import import_standard_file
from gongkai.supervision import services as supervision
from gongkai.supervision.models import Concern, Feedback

# --- the classification ----------------------------------------------------------------------------------

PUBLIC = {
    "login", "logout", "admin_login", "accounts:verify",
    "portal:home", "portal:search", "portal:place", "portal:place_search", "portal:feed_rss", "portal:feed_atom",
    "portal:items", "portal:item", "portal:attachment", "portal:catalogue", "portal:guide", "portal:reports",
    "portal:report", "portal:report_download",
    "apply:track", "apply:form", "apply:receipt",
    "supervision:feedback", "supervision:concerns",
}
API_PREFIX = "api_v1:"
ADMIN_PREFIX = "admin:"
OWN_ACCOUNT = {"accounts:otp", "accounts:otp_disable"}


def _elsewhere() -> dict[str, set[str]]:
    """Namespaces whose matrix lives in the app's own tests, with the URL names those cases cover."""
    from gongkai.applications.tests import test_isolation as applications
    from gongkai.catalogue.tests import test_item_isolation as items

    # The item matrix covers create and edit in its own dedicated tests (test_every_url_is_in_the_matrix there).
    return {
        "applications": {c.name.split(":")[0] for c in applications.CASES} | {"action"},
        "items": {c.name.split(":")[0] for c in items.CASES} | {"create", "edit"},
    }


def url_names() -> dict[str, str]:
    """Every named URL pattern of the site: qualified name → route."""
    found: dict[str, str] = {}

    def walk(patterns, prefix="", namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                found[f"{namespace}{p.name}" if p.name else f"{namespace}<unnamed {prefix}{p.pattern}>"] = \
                    prefix + str(p.pattern)

    walk(get_resolver().url_patterns)
    return found


def test_every_url_is_classified():
    elsewhere = _elsewhere()
    here = {c.url for c in STAFF_CASES}
    unclassified = []
    for name, route in url_names().items():
        namespace, _, short = name.rpartition(":")
        if name in PUBLIC or name in OWN_ACCOUNT or name in here or name.startswith((API_PREFIX, ADMIN_PREFIX)):
            continue
        if namespace in elsewhere and short in elsewhere[namespace]:
            continue
        unclassified.append(f"{name} ({route})")
    assert not unclassified, ("URLs missing from the permission matrix (gongkai/tests/test_permission_matrix.py): "
                              + ", ".join(unclassified))


def test_the_matrix_names_only_existing_urls():
    names = set(url_names())
    stale = (PUBLIC | OWN_ACCOUNT | {c.url for c in STAFF_CASES}) - names
    assert not stale, f"the matrix names URLs that no longer exist: {sorted(stale)}"


# --- staff views: role × own/other agency × action ---------------------------------------------------------

SECRET = "内部目录备注甲乙丙"
FEEDBACK_SECRET = "我于上月提交的申请已超过二十个工作日仍未收到答复，联系人王小明。"
FIXTURE = Path(__file__).resolve().parents[1] / "catalogue" / "fixtures" / "standard-industry.yaml"
GUIDE = {
    "classification": "按主题分类。", "how_to_obtain": "政府网站。", "office_name": "办公室", "office_address": "八二五大街",
    "office_hours": "工作日", "phone": "0594-8292450", "fax": "0594-8292451", "email": "gxj@example.gov.cn",
}


@dataclass(frozen=True)
class Case:
    name: str  # unique id: the URL name, plus ":get"/":post" when both are tested
    url: str  # the qualified URL name
    method: str
    build: Callable  # (agency, people) -> (path, POST data or None)
    right: str  # who may
    wrong: str | None = "provider"  # a member of the agency who may not; None: every member may


def _entry(agency):
    root = CatalogueEntry.objects.create(agency=agency, name="政策文件", position=1, content=SECRET)
    return CatalogueEntry.objects.create(agency=agency, parent=root, name="行政规范性文件", position=1)


def _tree(name, *, entry=False, data=None, query=""):
    def build(agency, people):
        e = _entry(agency)
        args = [agency.code] + ([e.pk] if entry else [])
        return reverse(f"catalogue_tree:{name}", args=args) + query, data(e) if callable(data) else data
    return build


def _apply_standard(agency, people):
    _entry(agency)
    standard = import_standard_file(data=FIXTURE.read_bytes(), filename=FIXTURE.name)
    return reverse("catalogue_tree:apply_standard", args=[agency.code]), {"standard": standard.pk, "under": ""}


def _guide(name, data=None):
    def build(agency, people):
        _entry(agency)
        Guide.objects.create(agency=agency, **{**GUIDE, "office_address": SECRET})
        return reverse(f"catalogue_tree:{name}", args=[agency.code]), data
    return build


def _report(name, *args):
    def build(agency, people):
        _entry(agency)
        return reverse(f"reports:{name}", args=[agency.code, *args]), None
    return build


def _feedback(agency):
    return supervision.feedback_submit(agency=agency, submission_key=uuid.uuid4(), data={
        "kind": "complaint", "subject": "申请逾期未答复", "contact_name": "王小明", "message": FEEDBACK_SECRET,
        "phone": "13812345678", "email": "", "public": True})


def _on_feedback(name, data=None):
    def build(agency, people):
        feedback = _feedback(agency)
        return reverse(f"supervision_staff:{name}", args=[agency.code, feedback.pk]), data
    return build


def _feedback_list(agency, people):
    _feedback(agency)
    return reverse("supervision_staff:list", args=[agency.code]), None


def _concern_new(agency, people):
    _feedback(agency)
    return reverse("supervision_staff:concern_new", args=[agency.code]), {
        "concern-question": "办公时间是什么？", "concern-answer": "工作日上午8点至12点。"}


def _concern_withdraw(agency, people):
    _feedback(agency)
    concern = supervision.concern_publish(user=people["publisher"], agency=agency, question="办公时间是什么？",
                                          answer="工作日上午8点至12点。", today=timezone.localdate())
    return reverse("supervision_staff:concern_withdraw", args=[agency.code, concern.pk]), {"note": "已过时"}


ENTRY_POST = {"name": "新目录", "parent": "", "content": "", "basis": "", "time_limit": "", "subject": "",
              "channels": "", "audience": "", "mode": "", "tier": "", "level1": "", "level2": ""}

STAFF_CASES = [
    # The catalogue tree and the guide: any member reads; agency administrators and publishers change.
    Case("catalogue_tree:tree", "catalogue_tree:tree", "get", _tree("tree"), "provider", None),
    Case("catalogue_tree:empty", "catalogue_tree:empty", "get", _tree("empty"), "provider", None),
    Case("catalogue_tree:entry_detail", "catalogue_tree:entry_detail", "get", _tree("entry_detail", entry=True),
         "provider", None),
    Case("catalogue_tree:entry_create:get", "catalogue_tree:entry_create", "get", _tree("entry_create"), "publisher"),
    Case("catalogue_tree:entry_create:post", "catalogue_tree:entry_create", "post",
         _tree("entry_create", data=ENTRY_POST), "publisher"),
    Case("catalogue_tree:entry_edit:get", "catalogue_tree:entry_edit", "get", _tree("entry_edit", entry=True), "admin"),
    Case("catalogue_tree:entry_edit:post", "catalogue_tree:entry_edit", "post",
         _tree("entry_edit", entry=True, data=lambda e: {**ENTRY_POST, "name": "改名", "parent": str(e.parent_id)}),
         "admin"),
    Case("catalogue_tree:entry_delete:get", "catalogue_tree:entry_delete", "get", _tree("entry_delete", entry=True),
         "publisher"),
    Case("catalogue_tree:entry_delete:post", "catalogue_tree:entry_delete", "post",
         _tree("entry_delete", entry=True, data={}), "publisher"),
    Case("catalogue_tree:entry_move", "catalogue_tree:entry_move", "post",
         _tree("entry_move", entry=True, data={"direction": "up"}), "publisher"),
    Case("catalogue_tree:apply_standard:get", "catalogue_tree:apply_standard", "get", _tree("apply_standard"),
         "publisher"),
    Case("catalogue_tree:apply_standard:post", "catalogue_tree:apply_standard", "post", _apply_standard, "publisher"),
    Case("catalogue_tree:guide", "catalogue_tree:guide", "get", _guide("guide"), "provider", None),
    Case("catalogue_tree:guide_edit:get", "catalogue_tree:guide_edit", "get", _guide("guide_edit"), "publisher"),
    Case("catalogue_tree:guide_edit:post", "catalogue_tree:guide_edit", "post", _guide("guide_edit", data=GUIDE),
         "admin"),
    # Annual reports: every member of the agency (and supervisors above it) reads them.
    Case("reports:agency_report", "reports:agency_report", "get", _report("agency_report", 2025), "provider", None),
    Case("reports:agency_report_download", "reports:agency_report_download", "get",
         _report("agency_report_download", 2025, "json"), "provider", None),
    # Feedback (监督): agency administrators and publishers handle it; other roles never see the messages.
    Case("supervision_staff:list", "supervision_staff:list", "get", _feedback_list, "publisher"),
    Case("supervision_staff:detail", "supervision_staff:detail", "get", _on_feedback("detail"), "admin"),
    Case("supervision_staff:answer", "supervision_staff:answer", "post",
         _on_feedback("answer", {"answer-answer": "经核查，已于3月3日答复。"}), "publisher"),
    Case("supervision_staff:close", "supervision_staff:close", "post",
         _on_feedback("close", {"close-note": "已电话答复"}), "admin"),
    Case("supervision_staff:publish", "supervision_staff:publish", "post",
         _on_feedback("publish", {"concern-question": "申请逾期怎么办？", "concern-answer": "可以投诉。"}), "publisher"),
    Case("supervision_staff:concern_new:get", "supervision_staff:concern_new", "get",
         lambda a, p: (reverse("supervision_staff:concern_new", args=[a.code]), None), "publisher"),
    Case("supervision_staff:concern_new:post", "supervision_staff:concern_new", "post", _concern_new, "admin"),
    Case("supervision_staff:concern_withdraw", "supervision_staff:concern_withdraw", "post", _concern_withdraw,
         "publisher"),
    # The staff home lists the user's own agencies only (checked below); it has no agency in its URL.
    Case("reports:home", "reports:home", "get", lambda a, p: (reverse("reports:home"), None), "provider", None),
]
WHO = ["anonymous", "outsider", "wrong_role", "right_role"]


def _person(name, agency=None, *roles, superuser=False):
    user = User.objects.create_user(name, password="a-long-password-1", is_superuser=superuser)
    for role in roles:
        Membership.objects.create(user=user, agency=agency, role=role)
    return user


@pytest.fixture
def people(agency, other_agency, region):
    supervisor = _person("supervisor")
    Supervision.objects.create(user=supervisor, region=region)
    return {
        "admin": _person("admin", agency, Role.AGENCY_ADMIN),
        "publisher": _person("publisher", agency, Role.PUBLISHER),
        "provider": _person("provider", agency, Role.PROVIDER, Role.HANDLER, Role.REGISTRAR, Role.APPROVER),
        # Every role, but in the other agency.
        "outsider": _person("outsider", other_agency, *Role.values),
        "supervisor": supervisor,
    }


def _state():
    return (AuditEntry.objects.count(),
            sorted(CatalogueEntry.objects.values_list("id", "name", "parent_id", "position")),
            sorted(Guide.objects.values_list("agency_id", "office_address")),
            sorted(Feedback.objects.values_list("id", "status", "answer")),
            sorted(Concern.objects.values_list("id", "published")))


@pytest.fixture(autouse=True)
def _no_limits(settings):
    settings.RATELIMIT_ENABLE = False


@pytest.mark.django_db
@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("case", STAFF_CASES, ids=[c.name for c in STAFF_CASES])
def test_staff_matrix(client, agency, people, case, who):
    if who == "wrong_role" and case.wrong is None:
        pytest.skip("every member of the agency may open this page")
    if who == "outsider" and case.url == "reports:home":
        pytest.skip("no agency in the URL: see test_the_staff_home_lists_only_the_users_agencies")
    path, data = case.build(agency, people)
    before = _state()
    user = {"anonymous": None, "outsider": people["outsider"], "wrong_role": people.get(case.wrong),
            "right_role": people[case.right]}[who]
    if user is not None:
        client.force_login(user)
    response = client.post(path, data or {}) if case.method == "post" else client.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", "replace")

    if who == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), response
    elif who == "outsider":
        assert response.status_code in (403, 404), (response.status_code, text[:500])
        for secret in (SECRET, FEEDBACK_SECRET, "王小明", "13812345678", agency.name):
            assert secret not in text
    elif who == "wrong_role":
        assert response.status_code == 403, (response.status_code, text[:500])
        assert FEEDBACK_SECRET not in text
    else:
        assert response.status_code == (302 if case.method == "post" else 200), text[:2000]
    if who != "right_role":
        assert _state() == before, "nothing may change"
    elif case.method == "post":
        assert _state() != before, "the permitted action changed nothing"


@pytest.mark.django_db
def test_the_staff_home_lists_only_the_users_agencies(client, agency, other_agency, people):
    client.force_login(people["outsider"])
    html = client.get(reverse("reports:home")).content.decode()
    assert other_agency.name in html and agency.name not in html


@pytest.mark.django_db
@pytest.mark.parametrize("case", [c for c in STAFF_CASES if c.url != "reports:home"], ids=lambda c: c.name)
def test_supervisors_read_but_never_change(client, agency, people, case):
    """政务公开办 of a region above the agency: the pages every member may read, nothing else."""
    path, data = case.build(agency, people)
    before = _state()
    client.force_login(people["supervisor"])
    response = client.post(path, data or {}) if case.method == "post" else client.get(path)
    if case.wrong is None:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
    assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("case", [c for c in STAFF_CASES if c.method == "post"], ids=lambda c: c.name)
def test_a_post_without_the_csrf_token_is_refused(agency, people, case):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    path, data = case.build(agency, people)
    before = _state()
    client.force_login(people[case.right])
    response = client.post(path, data or {})
    assert response.status_code == 403 and "CSRF" in response.content.decode()
    assert _state() == before


# --- own account pages ---------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("name, method", [("accounts:otp", "get"), ("accounts:otp_disable", "post")])
def test_own_account_pages_need_a_login(client, name, method):
    response = getattr(client, method)(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- the admin -----------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_admin_is_for_superusers_only(client, people):
    for path in ("/admin/", "/admin/audit/auditentry/", "/admin/applications/application/", "/admin/auth/user/"):
        response = client.get(path)
        assert response.status_code == 302 and reverse("login") in response["Location"] or \
            "/admin/login/" in response["Location"]
    client.force_login(people["admin"])  # an agency administrator is not a system administrator
    for path in ("/admin/", "/admin/auth/user/", "/admin/audit/auditentry/"):
        response = client.get(path)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- the public API: public data only ------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_api_never_shows_non_public_data(client, agency, other_agency, people):
    """Every API endpoint, called for both agencies, with drafts, withdrawn items, unpublished reports,
    applications and feedback present: none of it appears."""
    from datetime import date

    from gongkai.applications.models import Application
    from gongkai.catalogue.models import Item
    from gongkai.reports.models import AnnualReport

    hidden = "绝不公开的草稿标题丁戊己"
    for a in (agency, other_agency):
        for status in ("draft", "submitted", "approved", "withdrawn"):
            Item.objects.create(agency=a, title=f"{hidden}{status}", status=status, abstract=hidden,
                                formed_on=date(2025, 1, 1))
        Application.objects.create(agency=a, applicant_type="natural_person", applicant_name="赵六",
                                   identity_number="11010519491231002X", phone="13900001111",
                                   channel="in_person", received_on=date(2025, 3, 3), description=hidden)
        AnnualReport.objects.create(agency=a, year=2025, overview=hidden)
        _feedback(a)
    from gongkai.urls import urlpatterns  # noqa: F401 (the API is mounted)

    routes = {name: route for name, route in url_names().items() if name.startswith(API_PREFIX)}
    assert routes, "no API routes found"
    hidden_ids = [str(pk) for pk in Item.objects.filter(title__startswith=hidden).values_list("pk", flat=True)]
    paths = ["/api/v1/agencies", "/api/v1/regions", "/api/v1/items", f"/api/v1/items?q={hidden[:4]}",
             "/api/v1/schemas/annual-report", "/api/v1/openapi.json"]
    for a in (agency, other_agency):
        paths += [f"/api/v1/agencies/{a.code}", f"/api/v1/regions/{a.region.code}", f"/api/v1/items?agency={a.code}",
                  f"/api/v1/reports/{a.code}", f"/api/v1/reports/{a.code}/2025"]
    paths += [f"/api/v1/items/{pk}" for pk in hidden_ids]
    covered = {"api_v1:agency_list", "api_v1:agency_detail", "api_v1:region_list", "api_v1:region_detail",
               "api_v1:item_list", "api_v1:item_detail", "api_v1:report_list", "api_v1:report_detail",
               "api_v1:report_schema", "api_v1:openapi-json", "api_v1:api-root"}
    assert set(routes) <= covered, f"add the new API endpoints to this test: {sorted(set(routes) - covered)}"
    for path in paths:
        response = client.get(path)
        text = response.content.decode()
        assert response.status_code in (200, 404), (path, response.status_code)
        for secret in (hidden, FEEDBACK_SECRET, "赵六", "11010519491231002X", "13900001111", "王小明"):
            assert secret not in text, (path, secret)
        if path.startswith("/api/v1/items/"):
            assert response.status_code == 404
        if path.startswith("/api/v1/reports/") and path.endswith("/2025"):
            assert response.status_code == 404  # not published: no snapshot
        if response.status_code == 200 and path != "/api/v1/openapi.json":
            json.loads(text)
    # Nothing but GET: a write is 405, never a change.
    for path in ("/api/v1/items", f"/api/v1/items/{hidden_ids[0]}", "/api/v1/agencies"):
        assert client.post(path, {}).status_code == 405


# --- CSRF everywhere ------------------------------------------------------------------------------------------

def test_no_view_is_csrf_exempt_but_the_read_only_api():
    """The public API answers GET only (decision 013) and takes no cookie, so ninja's CSRF exemption is harmless;
    nothing else may be exempt."""
    exempt = []

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif getattr(p.callback, "csrf_exempt", False):
                exempt.append(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns)
    assert exempt and all(name.startswith(API_PREFIX) for name in exempt), exempt


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/login/verify/", "/track/", "/{agency}/apply/",
                                  "/{agency}/feedback/", "/accounts/logout/"])
def test_public_posts_without_the_csrf_token_are_refused(agency, path):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(path.format(agency=agency.code), {"username": "x"})
    assert response.status_code == 403 and "CSRF" in response.content.decode()
