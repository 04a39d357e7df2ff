"""Public pages of the online channel (第二十九条): the application form, its receipt, and the status lookup.

Thin views over ``gongkai.applications.public``. Nobody logs in: the
receipt is shown only to the browser that submitted the application (its
tracking code is kept in the session for a day), and the status page only to
whoever gives the tracking code together with the application's phone or
e-mail. POSTs are rate-limited per IP address (``ratelimits``). Pages that
show an application's details are never cached.
"""

from __future__ import annotations

import secrets
import time
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_ratelimit.exceptions import Ratelimited

from gongkai.agencies.models import Agency
from gongkai.applications.masking import mask_email, mask_phone
from gongkai.applications.models import Application, DocumentKind
from gongkai.applications.public import PublicStash, application_submit_online, application_track

from .forms_apply import OnlineApplicationForm, TrackForm, new_online_application_form
from .ratelimits import count_or_refuse, limit_posts
from .selectors import region_ancestors

RECEIPTS_KEY = "apply.receipts"  # {tracking code: when submitted}: the receipts this browser may see
STASH_OWNER_KEY = "apply.stash_owner"
RECEIPT_SECONDS = 24 * 3600
MAX_RECEIPTS = 10

TRACK_NOT_FOUND = "未查询到相符的申请。请核对查询码和申请时填写的联系电话或电子邮箱后重试。"
ALREADY_SUBMITTED = "该申请已经提交，未重复提交。请凭回执上的查询码查询办理进度。"


def _agency(code: str) -> Agency:
    return get_object_or_404(Agency.objects.select_related("region"), code=code)


def portal_frame(agency: Agency | None) -> dict:
    """What ``portal/base.html`` shows around a page: the agency's header, column and breadcrumbs."""
    if agency is None:
        return {"owner": None, "agency": None, "region": None, "crumbs": []}
    return {"owner": agency, "agency": agency, "region": agency.region, "crumbs": region_ancestors(agency.region)}


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def _stash(request, key: uuid.UUID | None) -> PublicStash:
    owner = request.session.get(STASH_OWNER_KEY)
    if not owner:
        owner = request.session[STASH_OWNER_KEY] = secrets.token_hex(16)
    return PublicStash(owner, key)


def _allow_receipt(request, tracking_code: str) -> None:
    now = time.time()
    receipts = {code: at for code, at in request.session.get(RECEIPTS_KEY, {}).items() if now - at < RECEIPT_SECONDS}
    receipts[tracking_code] = now
    request.session[RECEIPTS_KEY] = dict(sorted(receipts.items(), key=lambda item: item[1])[-MAX_RECEIPTS:])


def _may_see_receipt(request, tracking_code: str) -> bool:
    at = request.session.get(RECEIPTS_KEY, {}).get(tracking_code)
    return at is not None and time.time() - at < RECEIPT_SECONDS


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, texts in error.message_dict.items():
            form.add_error(field if field in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)


@never_cache
@limit_posts("apply.post")
def apply(request, agency):
    """在线申请: the form; a valid submission becomes one 待确认收到 application and goes to its receipt."""
    agency = _agency(agency)
    key, kept_files, status = None, [], 200
    if request.method == "POST":
        key = _uuid(request.POST.get("submission_key"))
        # A second click or a resubmitted page: the application exists already.
        existing = Application.objects.filter(agency=agency, submission_key=key).first() if key else None
        if existing is not None:
            return _already_submitted(request, agency, existing)
        stash = _stash(request, key)
        kept_ids = set(request.POST.getlist("kept_files"))
        form = OnlineApplicationForm(request.POST, request.FILES, kept=[e for e in stash.list() if e["id"] in kept_ids])
        if form.is_valid():
            try:
                count_or_refuse(request, "apply.create")
            except Ratelimited:
                stash.add(form.accepted_uploads)
                raise
            try:
                uploads = stash.take(kept_ids) + form.accepted_uploads
                application = application_submit_online(
                    agency=agency, data=form.application_data(), uploads=uploads, submission_key=key,
                    today=timezone.localdate())
            except ValidationError as e:
                _add_service_errors(form, e)
            else:
                stash.drop()
                _allow_receipt(request, application.tracking_code)
                return redirect("apply:receipt", agency.code, application.tracking_code)
        # Keep the files that passed, forget those the applicant unticked.
        listed = {e["id"] for e in stash.list()}
        stash.drop(listed - kept_ids)
        stash.add(form.accepted_uploads)
        kept_files, status = stash.list(), 400
    else:
        form = new_online_application_form()
    return render(request, "portal/apply/form.html", {
        **portal_frame(agency),
        "form": form,
        "kept_files": kept_files,
        "kept_proofs": [f for f in kept_files if f["kind"] == DocumentKind.IDENTITY_PROOF],
        "kept_attachments": [f for f in kept_files if f["kind"] != DocumentKind.IDENTITY_PROOF],
    }, status=status)


def _already_submitted(request, agency: Agency, application: Application):
    # The key is known only to the page that carried the form, so the same browser sees its receipt again.
    _allow_receipt(request, application.tracking_code)
    messages.info(request, ALREADY_SUBMITTED)
    return redirect("apply:receipt", agency.code, application.tracking_code)


@never_cache
def receipt(request, agency, tracking_code):
    """回执: the tracking code and what happens next, right after submission, to the browser that submitted."""
    agency = _agency(agency)
    if not _may_see_receipt(request, tracking_code):
        return render(request, "portal/apply/receipt_gone.html", portal_frame(agency), status=404)
    application = Application.objects.filter(agency=agency, tracking_code=tracking_code).first()
    if application is None:
        raise Http404("没有这份回执。")
    documents = list(application.documents.values_list("kind", flat=True))
    return render(request, "portal/apply/receipt.html", {
        **portal_frame(agency),
        "application": application,
        # The receipt names the contact to use for tracking, masked; never the name or the identity number.
        "phone": mask_phone(application.phone),
        "email": mask_email(application.email),
        "identity_proofs": documents.count(DocumentKind.IDENTITY_PROOF),
        "attachments": documents.count(DocumentKind.ATTACHMENT),
        "track_url": reverse("apply:track") + f"?code={application.tracking_code}",
    })


@never_cache
@limit_posts("track")
def track(request):
    """查询办理进度: the tracking code plus the phone or e-mail; a wrong pair gets one message, whichever was wrong."""
    result = None
    status = 200
    if request.method == "POST":
        form = TrackForm(request.POST)
        if form.is_valid():
            result = application_track(tracking_code=form.cleaned_data["tracking_code"],
                                       contact=form.cleaned_data["contact"])
            if result is None:
                form.add_error(None, TRACK_NOT_FOUND)
                status = 404
        else:
            status = 400
    else:
        form = TrackForm(initial={"tracking_code": request.GET.get("code", "")[:20]})
    return render(request, "portal/apply/track.html", {**portal_frame(None), "form": form, "result": result},
                  status=status)
