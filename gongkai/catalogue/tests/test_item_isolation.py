"""Every item URL × every kind of user: anonymous, another agency's staff, a member without the role, the right
role.

Another agency's staff get 403 (the agency is not theirs) or 404 (the item is not in the agency named) and
never a byte of the item; a member who sees the item but lacks the role gets 403 on writes; the right role gets
200 or the redirect after success. Drafts stay inside their unit.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongkai.audit.models import AuditEntry
from gongkai.catalogue import workflow as wf
from gongkai.catalogue.models import Attachment, Item, ItemVersion
from gongkai.catalogue.services import attachment_add
from gongkai.testing import matrix_request

from .test_item_views import (  # noqa: F401 (fixtures)
    DRAFT_SECRET,
    PDF,
    TITLE,
    act,
    advance,
    draft,
    form_post,
    media_root,
    published,
    staff,
)

pytestmark = pytest.mark.urls("gongkai.catalogue.tests.urls_for_tests")


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    build: Callable  # (agency, staff) -> (path, POST data or None)
    right: str
    wrong: str | None = None  # a member who sees the item but lacks the role; None: any viewer may


def _path(name, *args):
    return lambda agency: reverse(f"items:{name}", args=[agency.code, *args])


def _page(name, query=""):
    def build(agency, staff):
        draft(agency, staff)  # something to leak, if the page leaked
        return reverse(f"items:{name}", args=[agency.code]) + query, None
    return build


def _on_item(name, state="draft", extra=()):
    def build(agency, staff):
        item = advance(draft(agency, staff), staff, state) if state != "draft" else draft(agency, staff)
        return reverse(f"items:{name}", args=[agency.code, item.pk, *extra]), None
    return build


def _create_post(agency, staff):
    draft(agency, staff)
    return reverse("items:create", args=[agency.code]), form_post(agency, staff, title="新的一条")


def _edit_post(agency, staff):
    item = draft(agency, staff)
    return reverse("items:edit", args=[agency.code, item.pk]), {
        **form_post(agency, staff, title="改过的标题"), "attachments": [SimpleUploadedFile("补充.pdf", PDF)]}


def _attachment(agency, staff):
    item = draft(agency, staff)
    attachment = attachment_add(user=staff["provider"], item=item, name="附件.pdf", content=PDF)
    return reverse("items:attachment", args=[agency.code, item.pk, attachment.pk]), None


def _version(agency, staff):
    item = published(agency, staff)
    act("amend", item, staff["publisher"], changes={"title": "更正后的标题"}, reason="更正标题")
    return reverse("items:version", args=[agency.code, item.pk, 1]), None


# --- each action, from a state where it is possible ---------------------------------

STATE_FOR = {"submit": "draft", "approve": "submitted", "return": "submitted", "publish": "approved",
             "schedule": "approved", "withdraw": "published", "amend": "published"}
RIGHT = {"submit": "provider", "approve": "reviewer", "return": "reviewer", "publish": "publisher",
         "schedule": "publisher", "withdraw": "publisher", "amend": "publisher"}
WRONG = {"submit": "reviewer", "approve": "provider", "return": "provider", "publish": "reviewer",
         "schedule": "reviewer", "withdraw": "provider", "amend": "provider"}


def _payload(code, agency, staff, item):
    later = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    if code == "amend":
        data = form_post(agency, staff, title="更正后的标题", formed_on=item.formed_on.isoformat(),
                         document_number=item.document_number, body=item.body)
        return {**data, "reason": "标题有误"}
    return {
        "submit": {"note": "请审核"},
        "approve": {"no_secrets": "on", "review_note": "经审查不涉密"},
        "return": {"comments": "请补充附件"},
        "publish": {"channels": ["website", "wechat"]},
        "schedule": {"scheduled_for": later, "channels": ["website"]},
        "withdraw": {"reason": "文件已失效"},
    }[code]


def _action(code):
    def build(agency, staff):
        item = draft(agency, staff)
        if STATE_FOR[code] != "draft":
            advance(item, staff, STATE_FOR[code])
        data = {f"{code}-{k}": v for k, v in _payload(code, agency, staff, item).items()}
        return reverse("items:action", args=[agency.code, item.pk, code]), data
    return build


CASES = [
    Case("list", "get", _page("list"), "handler"),
    Case("list:filtered", "get", _page("list", "?q=测工信&status=draft"), "provider"),
    Case("awaiting", "get", _page("awaiting"), "handler"),
    Case("late", "get", _page("late", "?year=2025"), "handler"),
    Case("wechat_export", "get", _page("wechat_export"), "handler"),
    Case("wechat_export:csv", "get", _page("wechat_export", "?since=2020-01-01&format=csv"), "handler"),
    Case("wechat_export:json", "get", _page("wechat_export", "?since=2020-01-01&format=json"), "handler"),
    Case("create:get", "get", _page("create"), "provider", "reviewer"),
    Case("create:post", "post", _create_post, "provider", "reviewer"),
    Case("detail", "get", _on_item("detail"), "provider"),
    Case("detail:published", "get", _on_item("detail", "published"), "handler"),
    Case("edit:get", "get", _on_item("edit"), "provider", "reviewer"),
    Case("edit:post", "post", _edit_post, "provider", "reviewer"),
    Case("amend:get", "get", _on_item("amend", "published"), "publisher", "provider"),
    Case("version", "get", _version, "handler"),
    Case("attachment", "get", _attachment, "reviewer"),
    *[Case(f"action:{code}", "post", _action(code), RIGHT[code], WRONG[code]) for code in wf.ACTIONS],
]
WHO = ["anonymous", "outsider", "wrong_role", "right_role"]


def _state():
    """Every write adds an audit entry; the rest catches a write that forgot to."""
    return (sorted(Item.objects.values_list("id", "status", "version", "title", "unit_id")),
            Attachment.objects.count(), ItemVersion.objects.count(), AuditEntry.objects.count())


def test_every_url_is_in_the_matrix():
    from gongkai.catalogue.urls_items import urlpatterns

    covered = {c.name.split(":")[0] for c in CASES}
    assert {p.name for p in urlpatterns} <= covered | {"create", "edit"}
    assert {f"action:{code}" for code in wf.ACTIONS} <= {c.name for c in CASES}


@pytest.mark.django_db
@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_matrix(client, agency, staff, case, who):
    if who == "wrong_role" and case.wrong is None:
        pytest.skip("every member who sees the item may open this page")
    path, data = case.build(agency, staff)
    before = _state()
    response, body, text = matrix_request(client, case, staff, who, path, data)

    if who == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    elif who == "outsider":
        assert response.status_code in (403, 404)
        for secret in (DRAFT_SECRET, TITLE, "测工信", "经济运行股", f"{agency.code}/"):
            assert secret not in text
        assert body != PDF
    elif who == "wrong_role":
        assert response.status_code == 403
        assert DRAFT_SECRET not in text
    else:
        assert response.status_code == (302 if case.method == "post" else 200), text[:3000]
    if who != "right_role":
        assert _state() == before, "nothing may change"
    elif case.method == "post":
        assert _state() != before


@pytest.mark.django_db
def test_outsider_cannot_reach_items_through_its_own_agency(client, agency, other_agency, staff):
    """An item of agency A under agency B's URL is 404 even for B's administrator."""
    item = published(agency, staff)
    attachment = attachment_add(user=staff["publisher"], item=item, name="附件.pdf", content=PDF)
    client.force_login(staff["outsider"])
    for name, args in (("detail", [item.pk]), ("edit", [item.pk]), ("amend", [item.pk]),
                       ("version", [item.pk, 1]), ("attachment", [item.pk, attachment.pk])):
        assert client.get(reverse(f"items:{name}", args=[other_agency.code, *args])).status_code == 404, name
    response = client.post(reverse("items:action", args=[other_agency.code, item.pk, "withdraw"]),
                           {"withdraw-reason": "越权撤回"})
    assert response.status_code == 404
    item.refresh_from_db()
    assert item.status == "published"
    export = client.get(reverse("items:wechat_export", args=[other_agency.code]) + "?since=2020-01-01&format=csv")
    assert TITLE not in export.content.decode("utf-8-sig")


@pytest.mark.django_db
def test_a_provider_of_another_unit_cannot_see_the_drafts(client, agency, staff):
    item = draft(agency, staff)
    attachment = attachment_add(user=staff["provider"], item=item, name="附件.pdf", content=PDF)
    submitted = advance(draft(agency, staff, title="已提交的一条"), staff, "submitted")
    for who in ("provider2", "reviewer2"):
        client.force_login(staff[who])
        for name, args in (("detail", [item.pk]), ("edit", [item.pk]), ("attachment", [item.pk, attachment.pk])):
            assert client.get(reverse(f"items:{name}", args=[agency.code, *args])).status_code == 404, (who, name)
        for listing in ("list", "awaiting"):
            html = client.get(reverse(f"items:{listing}", args=[agency.code])).content.decode()
            assert TITLE not in html and "已提交的一条" not in html and DRAFT_SECRET not in html
        html = client.get(reverse("items:list", args=[agency.code]), {"q": "测工信"}).content.decode()
        assert "共 0 条" in html
        response = client.post(reverse("items:action", args=[agency.code, submitted.pk, "approve"]),
                               {"approve-no_secrets": "on", "approve-review_note": "越股审核"})
        assert response.status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


@pytest.mark.django_db
def test_supervisors_read_but_never_act(client, agency, staff):
    item = published(agency, staff)
    unpublished = advance(draft(agency, staff, title="待发布的一条"), staff, "approved")
    client.force_login(staff["supervisor"])
    assert client.get(reverse("items:detail", args=[agency.code, item.pk])).status_code == 200
    assert client.get(reverse("items:detail", args=[agency.code, unpublished.pk])).status_code == 404
    for code in wf.ACTIONS:
        response = client.post(reverse("items:action", args=[agency.code, item.pk, code]), {})
        assert response.status_code == 403, code
        response = client.post(reverse("items:action", args=[agency.code, unpublished.pk, code]), {})
        assert response.status_code == 404, code
    assert client.get(reverse("items:create", args=[agency.code])).status_code == 403
    assert client.get(reverse("items:amend", args=[agency.code, item.pk])).status_code == 403
    assert client.get(reverse("items:edit", args=[agency.code, item.pk])).status_code == 403
