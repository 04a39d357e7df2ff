"""The permission matrix of the whole site: every URL pattern is classified here, and every staff view is
checked as role × own/other agency × action.

``test_every_url_is_classified`` walks the project's resolver and fails on a URL that no table below names,
so a view added later must be put in the matrix before the suite passes again:

* ``STAFF_CASES`` (this module) and the per-app matrices it indexes (``ELSEWHERE``: the applications and
  the item pages, which keep their own detailed cases): for each staff view, anonymous → the login page;
  staff of another agency → 403 or 404 with none of the record's data; a member of the agency without the
  role → 403; the right role → 200 (GET) or the redirect after the change (POST). Refusals change nothing
  (records and the audit trail are compared before and after); a permitted POST changes something.
* ``DASHBOARD_CASES``: the supervisor's dashboard (政务公开办), per region rather than per agency: anonymous → the
  login page; agency staff without a supervision → 403; a supervisor of the region or of one above it, and a
  superuser → 200; a supervisor of another region → 403 with none of the region's agencies named.
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
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from gongkai.agencies.models import Role, Supervision
from gongkai.audit.models import AuditEntry
from gongkai.catalogue.models import CatalogueEntry, Guide
from gongkai.catalogue.standard import import_standard_file
from gongkai.reports import services as reports
from gongkai.reports.models import AnnualReport, AnnualReportVersion, ReportStatus
from gongkai.supervision import services as supervision
from gongkai.supervision.models import Concern, Feedback
from gongkai.testing import matrix_request, staff_member

# --- the classification ----------------------------------------------------------------------------------

PUBLIC = {
    "login", "logout", "admin_login", "accounts:verify",
    "portal:home", "portal:search", "portal:place", "portal:place_search", "portal:feed_rss", "portal:feed_atom",
    "portal:items", "portal:item", "portal:attachment", "portal:catalogue", "portal:guide", "portal:reports",
    "portal:report", "portal:report_download", "portal:report_version", "portal:report_version_download",
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
    here = {c.url for c in STAFF_CASES} | {c.url for c in DASHBOARD_CASES}
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
    stale = (PUBLIC | OWN_ACCOUNT | {c.url for c in STAFF_CASES} | {c.url for c in DASHBOARD_CASES}) - names
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


REPORT_YEAR = 2025
REPORT_SECRET = "年度报告草稿正文庚辛壬癸"
# Who takes each step to bring a report to a status (the publisher drafts and publishes, the approver approves).
SIGN_OFF = {ReportStatus.DRAFT: [], ReportStatus.SUBMITTED: [("submit", "publisher")],
            ReportStatus.APPROVED: [("submit", "publisher"), ("approve", "approver")],
            ReportStatus.PUBLISHED: [("submit", "publisher"), ("approve", "approver"), ("publish", "publisher")]}


def _signed_off(agency, people, status=ReportStatus.DRAFT):
    """The agency's report drafted from its (empty, so clean) records, its overview carrying REPORT_SECRET, and
    taken through the sign-off to ``status`` by the people whose role it is."""
    report = reports.report_draft(agency=agency, year=REPORT_YEAR, user=people["publisher"])
    reports.report_narrative_update(report=report, user=people["publisher"],
                                    overview=f"{REPORT_SECRET}。{report.overview}", problems=report.problems,
                                    other_matters=report.other_matters)
    for code, who in SIGN_OFF[status]:
        reports.report_transition(report=report, code=code, user=people[who])
    report.refresh_from_db()
    assert report.status == status
    return report


def _report_write(name, status, *args, data=None):
    """A POST on the report's drafting or sign-off, the report being at ``status`` so that the step is valid."""
    def build(agency, people):
        _entry(agency)
        _signed_off(agency, people, status)
        return reverse(f"reports:{name}", args=[agency.code, REPORT_YEAR, *args]), data
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
    # Drafting and sign-off (decision 014): publishers and agency administrators draft, edit, submit, publish and
    # correct; approvers and agency administrators approve (never their own submission: tested below) and return.
    # "provider" holds the approver's role but no drafting one; "clerk" holds neither.
    Case("reports:agency_report_draft", "reports:agency_report_draft", "post",
         _report_write("agency_report_draft", ReportStatus.DRAFT, data={"overwrite": "1"}), "publisher"),
    Case("reports:agency_report_narrative", "reports:agency_report_narrative", "post",
         _report_write("agency_report_narrative", ReportStatus.DRAFT,
                       data={"overview": "全年共主动公开政府信息0条。", "problems": "无。", "other_matters": "无。"}), "admin"),
    Case("reports:agency_report_action:submit", "reports:agency_report_action", "post",
         _report_write("agency_report_action", ReportStatus.DRAFT, "submit"), "publisher"),
    Case("reports:agency_report_action:approve", "reports:agency_report_action", "post",
         _report_write("agency_report_action", ReportStatus.SUBMITTED, "approve"), "approver", "clerk"),
    Case("reports:agency_report_action:approve:by_admin", "reports:agency_report_action", "post",
         _report_write("agency_report_action", ReportStatus.SUBMITTED, "approve"), "admin", "publisher"),
    Case("reports:agency_report_action:return", "reports:agency_report_action", "post",
         _report_write("agency_report_action", ReportStatus.SUBMITTED, "return", data={"reason": "数字需核对"}),
         "approver", "clerk"),
    Case("reports:agency_report_action:return:approved", "reports:agency_report_action", "post",
         _report_write("agency_report_action", ReportStatus.APPROVED, "return", data={"reason": "正文需修改"}),
         "publisher", "clerk"),
    Case("reports:agency_report_action:publish", "reports:agency_report_action", "post",
         _report_write("agency_report_action", ReportStatus.APPROVED, "publish"), "publisher"),
    Case("reports:agency_report_action:correct", "reports:agency_report_action", "post",
         _report_write("agency_report_action", ReportStatus.PUBLISHED, "correct", data={"reason": "表三数字有误"}),
         "admin", "approver"),
    Case("reports:agency_report_version_download", "reports:agency_report_version_download", "get",
         _report_write("agency_report_version_download", ReportStatus.PUBLISHED, 1, "json"), "provider", None),
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
    return staff_member(name, agency, *roles, is_superuser=superuser)


@pytest.fixture
def people(agency, other_agency, region):
    supervisor = _person("supervisor")
    Supervision.objects.create(user=supervisor, region=region)
    return {
        "admin": _person("admin", agency, Role.AGENCY_ADMIN),
        "publisher": _person("publisher", agency, Role.PUBLISHER),
        "provider": _person("provider", agency, Role.PROVIDER, Role.HANDLER, Role.REGISTRAR, Role.APPROVER),
        "approver": _person("approver", agency, Role.APPROVER),
        "clerk": _person("clerk", agency, Role.PROVIDER, Role.HANDLER, Role.REGISTRAR),
        # Every role, but in the other agency.
        "outsider": _person("outsider", other_agency, *Role.values),
        "supervisor": supervisor,
    }


def _state():
    return (AuditEntry.objects.count(),
            sorted(CatalogueEntry.objects.values_list("id", "name", "parent_id", "position")),
            sorted(Guide.objects.values_list("agency_id", "office_address")),
            sorted(Feedback.objects.values_list("id", "status", "answer")),
            sorted(Concern.objects.values_list("id", "published")),
            sorted(AnnualReport.objects.values_list("id", "status", "overview", "problems", "other_matters",
                                                    "correction_reason", "submitted_by_id", "approved_by_id")),
            AnnualReportVersion.objects.count())


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
    response, _, text = matrix_request(client, case, people, who, path, data)

    if who == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), response
    elif who == "outsider":
        assert response.status_code in (403, 404), (response.status_code, text[:500])
        for secret in (SECRET, FEEDBACK_SECRET, REPORT_SECRET, "王小明", "13812345678", agency.name):
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


@pytest.mark.django_db
def test_an_approver_never_approves_their_own_submission(client, agency, people):
    """An agency administrator holds both roles, yet the report they submitted waits for someone else."""
    report = _signed_off(agency, people)
    reports.report_transition(report=report, code="submit", user=people["admin"])
    before = _state()
    client.force_login(people["admin"])
    response = client.post(reverse("reports:agency_report_action", args=[agency.code, REPORT_YEAR, "approve"]),
                           follow=True)
    assert response.status_code == 200 and "不能审批自己提交的报告" in response.content.decode()
    assert _state() == before
    # An unknown step is no step at all.
    response = client.post(reverse("reports:agency_report_action", args=[agency.code, REPORT_YEAR, "delete"]))
    assert response.status_code == 404 and _state() == before


# --- the supervisor's dashboard: per region ------------------------------------------------------------------

@dataclass(frozen=True)
class RegionCase:
    name: str
    url: str
    build: Callable  # (region) -> path
    body: str  # what the page is: "html", "xlsx", "json", "aggregate.xlsx" (the region's report), "redirect"


def _on_region(name, *args):
    return lambda region: reverse(f"reports:{name}", args=[region.code, REPORT_YEAR, *args])


DASHBOARD_CASES = [
    RegionCase("reports:dashboard", "reports:dashboard", _on_region("dashboard"), "html"),
    RegionCase("reports:dashboard_export", "reports:dashboard_export", _on_region("dashboard_export"), "xlsx"),
    RegionCase("reports:region_report_download:json", "reports:region_report_download",
               _on_region("region_report_download", "json"), "json"),
    # The region's aggregate report is named after the region; its figures sum the agencies below it.
    RegionCase("reports:region_report_download:xlsx", "reports:region_report_download",
               _on_region("region_report_download", "xlsx"), "aggregate.xlsx"),
    # The entry point has no region in its URL: it leads to the user's own (top) region; tested apart below.
    RegionCase("reports:dashboard_home", "reports:dashboard_home", lambda region: reverse("reports:dashboard_home"),
               "redirect"),
]
REGION_WHO = ["anonymous", "member", "outsider", "other_supervisor", "supervisor", "province_supervisor", "superuser"]


@pytest.fixture
def overseers(region, other_agency, people):
    """Besides ``people``: supervisors of the neighbouring county and of the province, and a superuser."""
    other = _person("other_supervisor")
    Supervision.objects.create(user=other, region=other_agency.region)
    province = _person("province_supervisor")
    Supervision.objects.create(user=province, region=region.parent)
    return {"member": people["admin"], "outsider": people["outsider"], "supervisor": people["supervisor"],
            "other_supervisor": other, "province_supervisor": province,
            "superuser": _person("root", superuser=True)}


def _readable(response, body: str) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if body.endswith("xlsx") and response.status_code == 200:
        import io

        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                         for cell in row if cell is not None)
    return content.decode("utf-8", "replace")


@pytest.mark.django_db
@pytest.mark.parametrize("who", REGION_WHO)
@pytest.mark.parametrize("case", DASHBOARD_CASES, ids=[c.name for c in DASHBOARD_CASES])
def test_dashboard_matrix(client, agency, region, other_agency, people, overseers, case, who):
    _signed_off(agency, people, ReportStatus.PUBLISHED)
    path = case.build(region)
    before = _state()
    if who != "anonymous":
        client.force_login(overseers[who])
    response = client.get(path)
    text = _readable(response, case.body)

    if who == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), response
    elif case.body == "redirect":
        # Staff without a supervision have no dashboard; the others are sent to their own top region's.
        if who in ("member", "outsider"):
            assert response.status_code == 403, response.status_code
        else:
            top = {"supervisor": region, "other_supervisor": other_agency.region, "province_supervisor": region.parent,
                   "superuser": region.parent}[who]
            assert response.status_code == 302, response.status_code
            assert response["Location"] == reverse("reports:dashboard", args=[top.code, timezone.localdate().year - 1])
    elif who in ("member", "outsider", "other_supervisor"):
        assert response.status_code in (403, 404), (response.status_code, text[:500])
        for secret in (agency.name, region.name, REPORT_SECRET):
            assert secret not in text, secret
    else:
        assert response.status_code == 200, text[:2000]
        if case.body == "json":
            assert json.loads(text)["year"] == REPORT_YEAR and region.code in text
        elif case.body == "aggregate.xlsx":
            assert f"{region.name}{REPORT_YEAR}年政府信息公开工作年度报告" in text
        else:
            assert agency.name in text, "the dashboard names the region's agencies"
            assert other_agency.name not in text, "an agency of another region is not in this region's figures"
    assert _state() == before, "the dashboard changes nothing"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_dashboard_takes_no_write(client, agency, region, people, method):
    _signed_off(agency, people, ReportStatus.PUBLISHED)
    before = _state()
    client.force_login(people["supervisor"])
    for case in DASHBOARD_CASES:
        response = getattr(client, method)(case.build(region))
        assert response.status_code == 405, (case.name, response.status_code)
    assert _state() == before


# --- the portal's report versions ------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("status", [ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.APPROVED])
def test_an_unpublished_reports_versions_are_not_public(client, agency, people, status):
    _signed_off(agency, people, status)
    for name, args in (("portal:report_version", [1]), ("portal:report_version_download", [1, "json"]),
                       ("portal:report_version_download", [1, "html"]), ("portal:report", [])):
        response = client.get(reverse(name, args=[agency.code, REPORT_YEAR, *args]))
        assert response.status_code == 404, (name, response.status_code)
        assert REPORT_SECRET not in response.content.decode()


@pytest.mark.django_db
def test_a_correction_in_progress_is_not_public(client, agency, people):
    """Version 1 stays public while the correction is drafted; the draft's text and a version 2 are not."""
    report = _signed_off(agency, people, ReportStatus.PUBLISHED)
    reports.report_transition(report=report, code="correct", user=people["publisher"], reason="表三数字有误")
    draft = "更正稿尚未发布的正文子丑寅"
    reports.report_narrative_update(report=report, user=people["publisher"], overview=draft, problems="",
                                    other_matters="")
    page = client.get(reverse("portal:report_version", args=[agency.code, REPORT_YEAR, 1]))
    assert page.status_code == 200 and REPORT_SECRET in page.content.decode() and draft not in page.content.decode()
    download = client.get(reverse("portal:report_version_download", args=[agency.code, REPORT_YEAR, 1, "html"]))
    assert download.status_code == 200 and draft not in download.content.decode()
    for name, args in (("portal:report_version", [2]), ("portal:report_version_download", [2, "json"])):
        assert client.get(reverse(name, args=[agency.code, REPORT_YEAR, *args])).status_code == 404


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
