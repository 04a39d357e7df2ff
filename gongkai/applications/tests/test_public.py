"""The public channel's services: submitting online (第二十九条) and following an application with its tracking code."""

import dataclasses
import uuid
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from gongkai.agencies.models import Membership, Role
from gongkai.agencies.workdays import working_day_calendar
from gongkai.applications import workflow as wf
from gongkai.applications.models import Application, Channel, Document, DocumentKind, Status
from gongkai.applications.public import (
    PUBLIC_STAGES,
    PublicStash,
    PublicStatus,
    application_submit_online,
    application_track,
    normalise_contact,
    normalise_tracking_code,
)
from gongkai.applications.services import Upload
from gongkai.audit.models import AuditEntry

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"This program cannot be run"
ID_NUMBER = "350322199001011234"
PHONE = "13812345678"
EMAIL = "Zhang.San@Example.com"
NAME = "张三丰"
ADDRESS = "福建省莆田市仙游县鲤城街道八二五大街100号"
DAY = date(2025, 1, 20)  # 2025-01-20 + 20 working days = 2025-02-21 (DOMAIN.md §1.3)

DATA = {
    "applicant_type": "natural_person", "applicant_name": NAME, "identity_type": "resident_id",
    "identity_number": ID_NUMBER, "phone": PHONE, "email": EMAIL, "address": ADDRESS,
    "description": "2024年工业企业技术改造补贴的企业名单及补贴金额", "document_hint": "仙工信〔2024〕12号",
    "delivery_form": "email", "delivery_method": "email",
}


def proof(name="身份证.png", content=PNG):
    return Upload(DocumentKind.IDENTITY_PROOF, name, content)


def submit(agency, *, key=None, uploads=None, today=DAY, **data):
    return application_submit_online(agency=agency, data={**DATA, **data}, submission_key=key or uuid.uuid4(),
                                     uploads=[proof()] if uploads is None else uploads, today=today)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def registrar(agency):
    user = User.objects.create_user("registrar", password="x-long-password-1")
    Membership.objects.create(user=user, agency=agency, role=Role.REGISTRAR)
    return user


@pytest.fixture
def handler(agency):
    user = User.objects.create_user("handler", password="x-long-password-1")
    Membership.objects.create(user=user, agency=agency, role=Role.HANDLER)
    return user


class TestApplicationSubmitOnline:
    def test_creates_one_pending_online_application_without_a_date_of_receipt(self, agency):
        app = submit(agency, uploads=[proof(), Upload(DocumentKind.ATTACHMENT, "说明.pdf", PDF)])
        app.refresh_from_db()
        assert Application.objects.count() == 1
        assert app.status == Status.PENDING_CONFIRMATION
        assert app.channel == Channel.ONLINE
        assert app.submitted_on == DAY
        assert app.received_on is None and app.clock_started_on is None and app.due_on is None
        assert app.serial is None  # numbered only when the office confirms receipt
        assert normalise_tracking_code(app.tracking_code) == app.tracking_code
        assert app.applicant_name == NAME and app.identity_number == ID_NUMBER
        kinds = sorted(app.documents.values_list("kind", flat=True))
        assert kinds == [DocumentKind.ATTACHMENT, DocumentKind.IDENTITY_PROOF]
        assert all(d.created_by is None for d in Document.objects.all())

    def test_is_audited_without_an_actor_as_an_online_application(self, agency):
        app = submit(agency)
        entries = AuditEntry.objects.filter(target_type="applications.application", target_id=str(app.pk))
        register = entries.get(action="application.register")
        assert register.actor is None and register.note == "网上申请"
        assert register.to_state == Status.PENDING_CONFIRMATION
        assert register.data["channel"] == "online"
        assert entries.filter(action="application.attach", actor=None).count() == 1

    def test_the_same_submission_key_twice_creates_one_application(self, agency):
        key = uuid.uuid4()
        first = submit(agency, key=key)
        second = submit(agency, key=key, description="另一段不同的描述文字，不应生成新的申请")
        assert first.pk == second.pk
        assert Application.objects.count() == 1
        assert Document.objects.count() == 1

    def test_a_key_of_another_agencys_application_is_refused(self, agency, other_agency):
        key = uuid.uuid4()
        submit(agency, key=key)
        with pytest.raises(ValidationError) as e:
            submit(other_agency, key=key)
        assert "submission_key" in e.value.message_dict

    def test_identity_proof_is_required(self, agency):
        with pytest.raises(ValidationError) as e:
            submit(agency, uploads=[])
        assert e.value.message_dict["identity_proof"] == ["请上传身份证明。"]
        assert not Application.objects.exists()

    def test_identity_proof_must_be_an_image_or_a_pdf(self, agency):
        docx = _docx()
        with pytest.raises(ValidationError) as e:
            submit(agency, uploads=[proof("身份证.docx", docx)])
        assert "只接受" in e.value.message_dict["identity_proof"][0]

    def test_a_pdf_that_is_really_an_exe_is_refused(self, agency):
        with pytest.raises(ValidationError) as e:
            submit(agency, uploads=[proof(), Upload(DocumentKind.ATTACHMENT, "材料.pdf", EXE)])
        assert "不是可接受的格式" in " ".join(e.value.messages)
        assert not Application.objects.exists()
        assert not Document.objects.exists()

    def test_at_most_five_attachments(self, agency):
        many = [Upload(DocumentKind.ATTACHMENT, f"附件{i}.pdf", PDF) for i in range(6)]
        with pytest.raises(ValidationError) as e:
            submit(agency, uploads=[proof(), *many])
        assert e.value.message_dict["attachments"] == ["其他附件最多5个。"]

    def test_model_rules_still_apply(self, agency):
        with pytest.raises(ValidationError) as e:
            submit(agency, applicant_type="commercial_enterprise", organisation_name="")
        assert "organisation_name" in e.value.message_dict


def _docx() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


class TestApplicationTrack:
    @pytest.mark.parametrize("contact", [PHONE, "138 1234 5678", "+8613812345678", "138-1234-5678", EMAIL,
                                         EMAIL.lower(),
                                         f"  {EMAIL.upper()} "])
    def test_the_right_phone_or_email_finds_the_application(self, agency, contact):
        app = submit(agency)
        status = application_track(tracking_code=app.tracking_code, contact=contact)
        assert isinstance(status, PublicStatus)
        assert status.tracking_code == app.tracking_code
        assert status.stage == "已提交待确认"
        assert status.agency_name == agency.name
        assert status.submitted_on == DAY and status.received_on is None and status.due_on is None

    @pytest.mark.parametrize("contact", ["13812345679", "someone@example.com", "", "   ", "张三丰", ID_NUMBER])
    def test_a_wrong_contact_finds_nothing(self, agency, contact):
        app = submit(agency)
        assert application_track(tracking_code=app.tracking_code, contact=contact) is None

    def test_a_wrong_code_finds_nothing(self, agency):
        submit(agency)
        assert application_track(tracking_code="2345-6789-ABCD", contact=PHONE) is None
        assert application_track(tracking_code="", contact=PHONE) is None
        assert application_track(tracking_code="' OR 1=1 --", contact=PHONE) is None

    def test_the_code_may_be_typed_in_lower_case_without_dashes(self, agency):
        app = submit(agency)
        typed = app.tracking_code.replace("-", " ").lower()
        assert application_track(tracking_code=typed, contact=PHONE) is not None

    def test_an_application_with_only_an_email_is_not_found_by_an_empty_phone(self, agency):
        app = submit(agency, phone="")
        assert application_track(tracking_code=app.tracking_code, contact="") is None
        assert application_track(tracking_code=app.tracking_code, contact=EMAIL) is not None

    def test_the_status_holds_no_personal_data(self, agency):
        app = submit(agency)
        status = application_track(tracking_code=app.tracking_code, contact=PHONE)
        assert {f.name for f in dataclasses.fields(status)} == {
            "tracking_code", "reference", "agency_name", "status", "stage", "submitted_on", "received_on",
            "due_label", "due_on", "due_unconfirmed", "outcome", "concluded_on", "steps"}
        text = repr(status)
        for secret in (NAME, ID_NUMBER, PHONE, EMAIL, EMAIL.lower(), ADDRESS):
            assert secret not in text

    def test_after_the_office_confirms_receipt_it_is_in_progress_with_a_due_date(self, agency, registrar):
        app = submit(agency)
        wf.ConfirmReceipt(app, user=registrar, today=DAY, calendar=working_day_calendar()).run(confirmed_on=DAY)
        status = application_track(tracking_code=app.tracking_code, contact=PHONE)
        assert status.stage == "办理中"
        assert status.received_on == DAY
        assert status.due_label == "答复期限"
        assert status.due_on == date(2025, 2, 21)
        assert status.due_unconfirmed is False
        assert status.reference == f"依申请〔2025〕{app.serial}号" and app.serial == 1
        assert [s.label for s in status.steps] == ["提交申请", "确认收到申请（答复期限自此起算）"]

    def test_a_due_date_beyond_the_official_calendar_is_flagged(self, agency, registrar):
        far = date(2031, 3, 3)
        app = submit(agency, today=far)
        wf.ConfirmReceipt(app, user=registrar, today=far, calendar=working_day_calendar()).run(confirmed_on=far)
        status = application_track(tracking_code=app.tracking_code, contact=PHONE)
        assert status.due_on is not None and status.due_unconfirmed is True

    def test_stages_in_plain_words(self, agency, registrar, handler):
        app = submit(agency)
        cal = working_day_calendar()
        wf.ConfirmReceipt(app, user=registrar, today=DAY, calendar=cal).run(confirmed_on=DAY)
        wf.RequestCorrection(app, user=handler, today=date(2025, 1, 22), calendar=cal).run(
            notified_on=date(2025, 1, 22), items="请写明所需信息的年份")
        status = application_track(tracking_code=app.tracking_code, contact=PHONE)
        assert status.stage == "需补正" and status.due_label == "补正期限" and status.due_on is not None
        wf.RecordSupplement(app, user=handler, today=date(2025, 2, 5), calendar=cal).run(
            supplemented_on=date(2025, 2, 5))
        wf.StartConsultation(app, user=handler, today=date(2025, 2, 6), calendar=cal).run(
            party_kind="third_party", party_name="某某科技有限公司", sent_on=date(2025, 2, 6))
        status = application_track(tracking_code=app.tracking_code, contact=PHONE)
        assert status.stage == "征求意见中（期限暂停）" and status.paused
        assert "某某科技有限公司" not in repr(status)  # the party consulted is not named
        wf.RecordOpinion(app, user=handler, today=date(2025, 2, 10), calendar=cal).run(
            replied_on=date(2025, 2, 10), opinion="consent", consequence="同意公开")
        wf.Decide(app, user=handler, today=date(2025, 2, 12), calendar=cal).run(
            outcome="disclosed", legal_basis="第二十七条", decided_on=date(2025, 2, 12))
        status = application_track(tracking_code=app.tracking_code, contact=PHONE)
        assert status.stage == "已答复" and status.concluded
        assert status.outcome == "予以公开" and status.concluded_on == date(2025, 2, 12)
        assert status.due_on is None
        assert [s.label for s in status.steps][-1] == "作出答复"

    def test_every_status_has_a_stage(self):
        assert set(PUBLIC_STAGES) == set(Status.values)


@pytest.mark.parametrize("typed, code", [
    ("7KQ4-M2XD-93HT", "7KQ4-M2XD-93HT"),
    ("7kq4m2xd93ht", "7KQ4-M2XD-93HT"),
    (" 7KQ4 M2XD 93HT ", "7KQ4-M2XD-93HT"),
    ("7KQ4-M2XD-93H", ""),  # too short
    ("7KQ4-M2XD-93HO", ""),  # O is not in the alphabet
    ("", ""),
])
def test_normalise_tracking_code(typed, code):
    assert normalise_tracking_code(typed) == code


@pytest.mark.parametrize("typed, contact", [
    ("138 1234 5678", "13812345678"), ("+86 138-1234-5678", "13812345678"), ("0594-1234567", "05941234567"),
    ("A@B.CN", "a@b.cn"), ("", ""),
])
def test_normalise_contact(typed, contact):
    assert normalise_contact(typed) == contact


class TestPublicStash:
    OWNER = "0123456789abcdef0123456789abcdef"

    def test_keeps_files_per_owner_and_key(self, settings):
        key = uuid.uuid4()
        stash = PublicStash(self.OWNER, key)
        stash.add([proof(), Upload(DocumentKind.ATTACHMENT, "a.pdf", PDF)])
        entries = stash.list()
        assert [e["name"] for e in entries] == ["身份证.png", "a.pdf"]
        assert PublicStash("f" * 32, key).list() == []  # another browser sees nothing
        taken = stash.take({entries[1]["id"]})
        assert [u.name for u in taken] == ["a.pdf"]
        stash.drop({entries[0]["id"]})
        assert [e["name"] for e in stash.list()] == ["a.pdf"]
        stash.drop()
        assert stash.list() == []

    def test_never_holds_more_files_than_a_form_accepts(self):
        stash = PublicStash(self.OWNER, uuid.uuid4())
        stash.add([Upload(DocumentKind.ATTACHMENT, f"{i}.pdf", PDF) for i in range(20)])
        assert len(stash.list()) == PublicStash.MAX_FILES

    def test_refuses_an_owner_that_could_name_a_path(self):
        with pytest.raises(ValueError):
            PublicStash("../../etc", uuid.uuid4())
