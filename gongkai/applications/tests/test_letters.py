"""gongkai.applications.letters: 告知书 as DOCX and PDF, from the agency's templates or the defaults."""

import hashlib
import io
import shutil
import subprocess
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from docx import Document as open_docx

from gongkai.agencies.models import Membership, Role
from gongkai.applications.letters.defaults import (
    DEFAULT_BODIES,
    DEFAULT_TITLES,
    VARIABLES,
    letter_template_compile,
)
from gongkai.applications.letters.kinds import OUTCOME_GROUNDS, LetterKind, reply_kind_for, reply_kinds_for
from gongkai.applications.letters.render import format_date, letter_context, render_letter_text
from gongkai.applications.letters.services import (
    LETTER_NO_EXTENSION,
    LETTER_NO_FEE_NOTICE,
    LETTER_NOT_DECIDED,
    letter_generate,
    letter_settings_get,
    letters_available,
)
from gongkai.applications.models import (
    Document,
    DocumentKind,
    LetterSettings,
    LetterTemplate,
    Opinion,
    Outcome,
    PartyKind,
)
from gongkai.applications.services import application_register
from gongkai.applications.workflow import (
    ActionForbidden,
    ActionRefused,
    CloseUnsupplemented,
    Decide,
    DecideExtension,
    IssueFeeNotice,
    RecordOpinion,
    RequestCorrection,
    RequestExtension,
    StartConsultation,
)

RECEIVED = date(2026, 9, 25)  # a Friday before the National Day holiday: +20 working days is 2026-10-29
NEXT_MONDAY = date(2026, 9, 28)
RECONSIDERATION_BODY = "测试县人民政府"
COURT = "测试市中级人民法院集中管辖的测试区人民法院"
REMEDIES = (f"如对本答复不服，可以自收到本告知书之日起六十日内向{RECONSIDERATION_BODY}申请行政复议，"
            f"或者在六个月内直接向{COURT}提起行政诉讼。")

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) missing")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff(agency):
    users = {}
    for role in (Role.REGISTRAR, Role.HANDLER, Role.APPROVER):
        user = get_user_model().objects.create_user(username=f"{role}-user", password="x")
        Membership.objects.create(user=user, agency=agency, role=role)
        users[role] = user
    return users


@pytest.fixture
def handler(staff):
    return staff[Role.HANDLER]


@pytest.fixture
def letter_settings(agency):
    settings = letter_settings_get(agency=agency)
    settings.number_prefix = "测工信依申"
    settings.court = COURT
    settings.phone = "0594-1234567"
    settings.contact_person = "王芳"
    settings.footer = "本告知书一式两份，一份送达申请人，一份存档。"
    settings.save()
    return settings


@pytest.fixture
def application(agency, staff, letter_settings):
    return register(agency, staff, applicant_name="张三丰", description="2025年本县工业企业技术改造专项资金分配明细")


def register(agency, staff, **data):
    data = {"applicant_type": "natural_person", "channel": "in_person", "delivery_form": "paper", **data}
    return application_register(user=staff[Role.REGISTRAR], agency=agency, today=RECEIVED, data=data,
                                submitted_on=RECEIVED)


def docx_text(document: Document) -> str:
    with document.file.open("rb") as f:
        parsed = open_docx(io.BytesIO(f.read()))
    parts = [p.text for p in parsed.paragraphs]
    parts += [p.text for p in parsed.sections[0].footer.paragraphs]
    return "\n".join(parts)


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as f:
        content = f.read()
    assert content.startswith(b"%PDF")
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def by_format(documents: list[Document]) -> dict[str, Document]:
    return {d.title.rsplit(".", 1)[1]: d for d in documents}


# --- kinds ----------------------------------------------------------------------------------

@pytest.mark.parametrize("outcome", Outcome.values)
def test_every_outcome_has_a_reply_letter_and_grounds(outcome):
    kind = reply_kind_for(outcome)
    assert kind.value.startswith("reply_")
    assert outcome in OUTCOME_GROUNDS
    assert reply_kinds_for(outcome)[0] == kind


@pytest.mark.parametrize("outcome,kind", [
    ("disclosed", LetterKind.REPLY_DISCLOSED),
    ("partially_disclosed", LetterKind.REPLY_DISCLOSED),
    ("withheld.third_party_rights", LetterKind.REPLY_WITHHELD),
    ("unavailable.needs_creation", LetterKind.REPLY_UNAVAILABLE),
    ("not_processed.repeated", LetterKind.REPLY_NOT_PROCESSED),
    ("other.unpaid_fee", LetterKind.REPLY_OTHER),
])
def test_reply_kind_for_maps_outcome_groups(outcome, kind):
    assert reply_kind_for(outcome) == kind


def test_information_already_published_may_have_its_own_letter():
    assert LetterKind.REPLY_ALREADY_PUBLISHED in reply_kinds_for(Outcome.DISCLOSED)
    assert LetterKind.REPLY_ALREADY_PUBLISHED not in reply_kinds_for(Outcome.PARTIALLY_DISCLOSED)


def test_reply_kind_for_rejects_unknown_outcomes():
    with pytest.raises(ValueError):
        reply_kind_for("")


@pytest.mark.parametrize("kind", LetterKind.values)
def test_default_templates_compile_and_use_only_known_variables(kind):
    letter_template_compile(DEFAULT_TITLES[kind])
    letter_template_compile(DEFAULT_BODIES[kind])


# --- letters through the workflow --------------------------------------------------------------

def test_correction_notice_as_docx_and_pdf(application, handler):
    RequestCorrection(application, user=handler, today=NEXT_MONDAY).run(
        notified_on=NEXT_MONDAY, items="1. 请写明所需文件的名称或文号。\n2、请说明所需信息的时间范围")
    correction = application.corrections.get()

    documents = letter_generate(application=application, kind=LetterKind.CORRECTION_NOTICE, user=handler,
                                today=NEXT_MONDAY)

    files = by_format(documents)
    assert set(files) == {"docx", "pdf"}
    text = docx_text(files["docx"])
    assert "政府信息公开申请补正告知书" in text
    assert "张三丰：" in text
    assert "2026年9月25日" in text  # received
    assert format_date(correction.supplement_due_on) in text
    assert "2026年9月28日" in text  # the letter's date
    assert "第三十条" in text
    assert "1. 请写明所需文件的名称或文号" in text and "2. 请说明所需信息的时间范围" in text
    assert f"向{RECONSIDERATION_BODY}申请行政复议" in text and f"直接向{COURT}提起行政诉讼" in text
    assert "测工信依申〔2026〕1号" in text
    assert "测试县工业和信息化局" in text  # letterhead and signature
    assert "本告知书一式两份" in text  # footer


@needs_poppler
def test_pdf_holds_the_same_letter(application, handler):
    RequestCorrection(application, user=handler, today=NEXT_MONDAY).run(notified_on=NEXT_MONDAY, items="文件名称")

    documents = letter_generate(application=application, kind=LetterKind.CORRECTION_NOTICE, user=handler,
                                today=NEXT_MONDAY, formats=("pdf",))

    text = pdf_text(documents[0])
    assert "张三丰" in text
    assert "补正告知书" in text
    assert "第 1 页，共 " in text


def test_documents_are_stored_as_letters_with_their_hash(application, handler):
    RequestCorrection(application, user=handler, today=NEXT_MONDAY).run(notified_on=NEXT_MONDAY, items="文件名称")

    documents = letter_generate(application=application, kind=LetterKind.CORRECTION_NOTICE, user=handler,
                                today=NEXT_MONDAY)

    stored = list(Document.objects.filter(application=application).order_by("id"))
    assert stored == documents
    for document in stored:
        with document.file.open("rb") as f:
            content = f.read()
        assert document.kind == DocumentKind.LETTER
        assert document.letter_kind == LetterKind.CORRECTION_NOTICE
        assert document.sha256 == hashlib.sha256(content).hexdigest()
        assert document.size == len(content)
        assert document.created_by == handler
    assert [d.title for d in stored] == ["政府信息公开申请补正告知书.docx", "政府信息公开申请补正告知书.pdf"]
    assert [d.content_type for d in stored] == [
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/pdf"]


def test_extension_notice_states_both_deadlines(application, staff, handler):
    today = date(2026, 10, 9)
    RequestExtension(application, user=handler, today=today).run(days=20, reason="所需信息涉及多个年度的档案，需要逐卷检索。")
    DecideExtension(application, user=staff[Role.APPROVER], today=today).run(approve=True, notified_on=today)

    documents = letter_generate(application=application, kind=LetterKind.EXTENSION_NOTICE, user=handler,
                                today=today, formats=("docx",))

    text = docx_text(documents[0])
    assert "延期答复告知书" in text
    assert "张三丰" in text
    assert "第三十三条" in text
    assert "因所需信息涉及多个年度的档案，需要逐卷检索，本机关不能在2026年10月29日前作出答复" in text
    assert "延长20个工作日，本机关将于2026年11月26日前向您作出答复" in text
    assert f"向{RECONSIDERATION_BODY}申请行政复议" in text


def test_fee_notice_states_amount_breakdown_and_payment_deadline(application, handler, letter_settings):
    letter_settings.fee_payment_method = "请持本通知书到本局财务室缴纳"
    letter_settings.save()
    IssueFeeNotice(application, user=handler, today=NEXT_MONDAY).run(
        scheme="per_volume", quantity=250, notified_on=NEXT_MONDAY)
    notice = application.fee_notice

    documents = letter_generate(application=application, kind=LetterKind.FEE_NOTICE, user=handler,
                                today=NEXT_MONDAY, formats=("docx",))

    text = docx_text(documents[0])
    assert "收费通知书" in text
    assert "张三丰" in text
    assert "第四十二条" in text and "国办函〔2020〕109号" in text
    assert "采取按量计收方式" in text and "人民币4700元" in text
    assert "201页及以上 50页×40元=2000元" in text
    assert f"请您于{format_date(notice.payment_due_on)}前" in text
    assert "请持本通知书到本局财务室缴纳。" in text
    assert f"如对本通知不服，可以自收到本通知书之日起六十日内向{RECONSIDERATION_BODY}申请行政复议" in text


def test_withheld_reply_cites_the_articles_and_remedies(application, handler):
    Decide(application, user=handler, today=NEXT_MONDAY).run(
        outcome=Outcome.WITHHELD_THIRD_PARTY_RIGHTS, decided_on=NEXT_MONDAY,
        legal_basis="所申请信息含有企业的银行账户和经营数据，第三方不同意公开且理由合理")

    documents = letter_generate(application=application, kind=LetterKind.REPLY_WITHHELD, user=handler,
                                today=NEXT_MONDAY)

    text = docx_text(by_format(documents)["docx"])
    assert "政府信息公开申请答复告知书" in text
    assert "张三丰：" in text
    assert "本机关于2026年9月25日收到您提出的政府信息公开申请（依申请〔2026〕1号）" in text
    assert "“2025年本县工业企业技术改造专项资金分配明细”" in text
    assert "第十五条、第三十二条、第三十六条第（三）项" in text
    assert "第三方不同意公开且理由合理。" in text
    assert "本机关决定不予公开" in text
    assert REMEDIES in text


def test_disclosed_reply_and_the_already_published_variant(application, handler):
    Decide(application, user=handler, today=NEXT_MONDAY).run(
        outcome=Outcome.DISCLOSED, decided_on=NEXT_MONDAY, legal_basis="第三十六条第（二）项",
        reply_summary="现将《2025年工业企业技术改造专项资金分配明细表》一份随本告知书送达")

    assert letters_available(application) == [LetterKind.REPLY_DISCLOSED, LetterKind.REPLY_ALREADY_PUBLISHED]
    disclosed = docx_text(letter_generate(application=application, kind=LetterKind.REPLY_DISCLOSED, user=handler,
                                          today=NEXT_MONDAY, formats=("docx",))[0])
    published = docx_text(letter_generate(application=application, kind=LetterKind.REPLY_ALREADY_PUBLISHED,
                                           user=handler, today=NEXT_MONDAY, formats=("docx",))[0])

    assert "第三十六条第（二）项" in disclosed and "本机关予以公开" in disclosed
    assert "随本告知书送达。" in disclosed
    assert "（纸质）" in disclosed
    assert "第三十六条第（一）项" in published
    assert REMEDIES in disclosed and REMEDIES in published


def test_reply_after_no_supplement_is_other_processing(application, handler):
    RequestCorrection(application, user=handler, today=NEXT_MONDAY).run(notified_on=NEXT_MONDAY, items="文件名称")
    late = date(2026, 12, 1)  # well after the 15 working days to supplement
    CloseUnsupplemented(application, user=handler, today=late).run(closed_on=late)

    assert letters_available(application) == [LetterKind.CORRECTION_NOTICE, LetterKind.REPLY_OTHER]
    text = docx_text(letter_generate(application=application, kind=LetterKind.REPLY_OTHER, user=handler,
                                     today=late, formats=("docx",))[0])

    assert "根据《中华人民共和国政府信息公开条例》第三十条的规定，您无正当理由逾期未补正" in text
    assert REMEDIES in text


@pytest.mark.parametrize("party_kind,party,article,greeting", [
    (PartyKind.THIRD_PARTY, "测试县某某机械制造有限公司", "第三十二条", "贵方"),
    (PartyKind.OTHER_AGENCY, "测试县财政局", "第三十四条", "贵机关"),
])
def test_consultation_letter_goes_to_the_party(application, handler, party_kind, party, article, greeting):
    StartConsultation(application, user=handler, today=NEXT_MONDAY).run(
        party_kind=party_kind, party_name=party, sent_on=NEXT_MONDAY)
    consultation = application.consultations.get()

    text = docx_text(letter_generate(application=application, kind=LetterKind.CONSULTATION_LETTER, user=handler,
                                     today=NEXT_MONDAY, formats=("docx",))[0])

    assert f"{party}：" in text
    assert article in text and greeting in text
    assert format_date(consultation.reply_due_on) in text
    # The party is not told who applied, and it is not the applicant's remedy to state.
    assert "张三丰" not in text
    assert "行政复议" not in text


def test_organisation_is_addressed_by_its_name(agency, staff, letter_settings, handler):
    app = register(agency, staff, applicant_type="commercial_enterprise", applicant_name="李四",
                   organisation_name="测试县某某科技有限公司", description="某项目环评批复")
    Decide(app, user=handler, today=NEXT_MONDAY).run(
        outcome=Outcome.UNAVAILABLE_NOT_HELD, decided_on=NEXT_MONDAY, legal_basis="经检索未找到")

    title, paragraphs = render_letter_text(app, LetterKind.REPLY_UNAVAILABLE, today=NEXT_MONDAY)

    assert paragraphs[0] == "测试县某某科技有限公司："
    assert any("第三十六条第（四）项" in p for p in paragraphs)


@pytest.mark.parametrize("outcome", [o for o in Outcome.values if o not in ("other.no_correction", "other.unpaid_fee")])
def test_every_decided_outcome_renders_its_reply(application, handler, outcome):
    Decide(application, user=handler, today=NEXT_MONDAY).run(outcome=outcome, decided_on=NEXT_MONDAY,
                                                             legal_basis="具体理由")

    title, paragraphs = render_letter_text(application, reply_kind_for(outcome), today=NEXT_MONDAY)

    text = "\n".join(paragraphs)
    assert title == "政府信息公开申请答复告知书"
    assert paragraphs[0] == "张三丰："
    assert OUTCOME_GROUNDS[outcome].articles in text
    assert OUTCOME_GROUNDS[outcome].statement in text
    assert "具体理由。" in text or outcome == "disclosed"
    assert REMEDIES in text
    assert "{" not in text and "}" not in text


# --- what does not fit is refused ----------------------------------------------------------------

def test_reply_before_a_decision_is_refused(application, handler):
    with pytest.raises(ActionRefused) as e:
        letter_generate(application=application, kind=LetterKind.REPLY_DISCLOSED, user=handler, today=RECEIVED)
    assert e.value.reason == LETTER_NOT_DECIDED
    assert not Document.objects.exists()


def test_reply_of_another_outcome_is_refused_and_names_the_right_one(application, handler):
    Decide(application, user=handler, today=NEXT_MONDAY).run(
        outcome=Outcome.NOT_PROCESSED_REPEATED, decided_on=NEXT_MONDAY, legal_basis="已于2026年9月1日答复")
    with pytest.raises(ActionRefused) as e:
        letter_generate(application=application, kind=LetterKind.REPLY_DISCLOSED, user=handler, today=NEXT_MONDAY)
    assert e.value.reason == "本申请的办理结果为“不予处理：重复申请”，应出具“答复告知书（不予处理）”。"


def test_fee_notice_without_a_fee_is_refused(application, handler):
    with pytest.raises(ActionRefused) as e:
        letter_generate(application=application, kind=LetterKind.FEE_NOTICE, user=handler, today=RECEIVED)
    assert e.value.reason == LETTER_NO_FEE_NOTICE


def test_extension_notice_needs_an_approved_extension(application, handler):
    RequestExtension(application, user=handler, today=NEXT_MONDAY).run(days=10, reason="情况复杂")
    with pytest.raises(ActionRefused) as e:
        letter_generate(application=application, kind=LetterKind.EXTENSION_NOTICE, user=handler, today=NEXT_MONDAY)
    assert e.value.reason == LETTER_NO_EXTENSION


def test_a_user_without_a_role_may_not_generate(application, agency):
    stranger = get_user_model().objects.create_user(username="stranger", password="x")
    with pytest.raises(ActionForbidden):
        letter_generate(application=application, kind=LetterKind.CORRECTION_NOTICE, user=stranger, today=RECEIVED)


def test_letters_available_follow_the_workflow(application, handler):
    assert letters_available(application) == []
    StartConsultation(application, user=handler, today=NEXT_MONDAY).run(
        party_kind=PartyKind.THIRD_PARTY, party_name="某公司", sent_on=NEXT_MONDAY)
    assert letters_available(application) == [LetterKind.CONSULTATION_LETTER]
    RecordOpinion(application, user=handler, today=date(2026, 10, 12)).run(
        replied_on=date(2026, 10, 12), opinion=Opinion.OBJECTION, consequence="理由合理，不予公开")
    Decide(application, user=handler, today=date(2026, 10, 12)).run(
        outcome=Outcome.WITHHELD_THIRD_PARTY_RIGHTS, decided_on=date(2026, 10, 12), legal_basis="第三方不同意公开")
    assert letters_available(application) == [LetterKind.CONSULTATION_LETTER, LetterKind.REPLY_WITHHELD]


# --- agency templates and settings ------------------------------------------------------------------

def test_an_agency_template_replaces_the_default(application, handler, agency, other_agency):
    LetterTemplate.objects.create(agency=agency, kind=LetterKind.CORRECTION_NOTICE, title="补正通知",
                                  body="{{ applicant }}同志：\n请于{{ supplement_due_on }}前补充：{{ correction_items }}\n"
                                       "{% if remedies %}{{ remedies }}{% endif %}")
    LetterTemplate.objects.create(agency=other_agency, kind=LetterKind.CORRECTION_NOTICE, body="别的机关的模板")
    RequestCorrection(application, user=handler, today=NEXT_MONDAY).run(notified_on=NEXT_MONDAY, items="文件名称")
    due = format_date(application.corrections.get().supplement_due_on)

    title, paragraphs = render_letter_text(application, LetterKind.CORRECTION_NOTICE, today=NEXT_MONDAY)
    documents = letter_generate(application=application, kind=LetterKind.CORRECTION_NOTICE, user=handler,
                                today=NEXT_MONDAY, formats=("docx",))

    assert title == "补正通知"
    assert paragraphs[:2] == ["张三丰同志：", f"请于{due}前补充：文件名称"]
    assert documents[0].title == "补正通知.docx"
    text = docx_text(documents[0])
    assert "张三丰同志：" in text and "别的机关" not in text and "经审查" not in text


@pytest.mark.parametrize("body,fragments", [
    ("{{ applicant }}：\n{% load static %}", ["第2行", "不能使用“{% load %}”"]),
    ("{% include 'x.html' %}", ["第1行", "不能使用“{% include %}”"]),
    ("{% extends 'base.html' %}", ["第1行", "不能使用“{% extends %}”"]),
    ("正文\n{% now 'Y' %}", ["第2行", "不支持“{% now %}”"]),
    ("正文\n\n{{ applicnt }}：", ["第3行", "没有名为“applicnt”的变量"]),
    ("{% if outcome == 'disclosed' %}\n公开", ["第1行", "模板语法错误", "{% endif %}"]),
    ("{{ applicant|ljust:'99999999' }}", ["第1行", "不支持过滤器“ljust”"]),
    ("{% if applicant|nosuchfilter %}x{% endif %}", ["第1行", "不支持过滤器“nosuchfilter”"]),
    ("  \n", ["正文不能为空"]),
])
def test_an_invalid_template_is_rejected_in_chinese(agency, body, fragments):
    template = LetterTemplate(agency=agency, kind=LetterKind.REPLY_OTHER, body=body)
    with pytest.raises(ValidationError) as e:
        template.full_clean()
    message = " ".join(e.value.message_dict["body"])
    for fragment in fragments:
        assert fragment in message
    with pytest.raises(ValidationError):
        template.save()
    assert not LetterTemplate.objects.exists()


def test_loop_variables_forloop_and_simple_filters_are_allowed():
    letter_template_compile("{% for item in correction_item_list %}{{ forloop.counter }}{{ item }}{% empty %}无"
                            "{% endfor %}{{ phone|default:'（无）' }}{{ correction_item_list|join:'；' }}"
                            "{% if outcome == 'a|ljust' %}{% endif %}")


def test_settings_are_created_from_the_agency_and_its_region(agency):
    settings = letter_settings_get(agency=agency)
    assert (settings.letterhead, settings.office) == ("测试县工业和信息化局", "测试县工业和信息化局")
    assert (settings.reconsideration_body, settings.court) == ("测试县人民政府", "测试县人民法院")
    assert letter_settings_get(agency=agency) == settings
    assert LetterSettings.objects.count() == 1


def test_context_holds_plain_values_only(application):
    context = letter_context(application, LetterKind.REPLY_OTHER, today=RECEIVED)
    assert set(VARIABLES) <= set(context)
    for value in context.values():
        assert isinstance(value, (str, int, bool, list))


@needs_poppler
def test_pdf_escapes_what_the_applicant_typed(agency, staff, letter_settings, handler):
    app = register(agency, staff, applicant_name="王五", description="<b>会议纪要</b> & 附件")
    Decide(app, user=handler, today=NEXT_MONDAY).run(
        outcome=Outcome.WITHHELD_PROCESS_INFORMATION, decided_on=NEXT_MONDAY, legal_basis="属于过程性信息")
    documents = letter_generate(application=app, kind=LetterKind.REPLY_WITHHELD, user=handler, today=NEXT_MONDAY,
                                formats=("pdf",))
    assert "“<b>会议纪要</b>&附件”" in "".join(pdf_text(documents[0]).split())


@needs_poppler
def test_pdf_page_as_png_for_review(application, handler, artifacts_dir):
    """Leaves the first page of a reply letter as a PNG to look at: the layout, and Chinese glyphs, not boxes."""
    Decide(application, user=handler, today=NEXT_MONDAY).run(
        outcome=Outcome.PARTIALLY_DISCLOSED, decided_on=NEXT_MONDAY,
        legal_basis="明细中企业的银行账户信息涉及商业秘密，已作区分处理",
        reply_summary="现将删除上述内容后的《2025年工业企业技术改造专项资金分配明细表》一份随本告知书送达")
    documents = letter_generate(application=application, kind=LetterKind.REPLY_DISCLOSED, user=handler,
                                today=NEXT_MONDAY)
    for document in documents:
        with document.file.open("rb") as f:
            (artifacts_dir / f"letter-reply.{document.title.rsplit('.', 1)[1]}").write_bytes(f.read())
    pdf = artifacts_dir / "letter-reply.pdf"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(artifacts_dir / "letter-reply")], check=True)
    assert (artifacts_dir / "letter-reply.png").stat().st_size > 10_000


def test_admin_starts_a_template_from_the_default_and_rejects_bad_ones(admin_client, agency):
    page = admin_client.get("/admin/applications/lettertemplate/add/?kind=correction_notice")
    assert page.status_code == 200
    content = page.content.decode()
    assert "政府信息公开申请补正告知书" in content and "第三十条" in content
    assert "{{ supplement_due_on }}" in content  # the list of variables

    response = admin_client.post("/admin/applications/lettertemplate/add/", {
        "agency": agency.pk, "kind": "correction_notice", "title": "", "body": "{% include 'x.html' %}"})
    assert response.status_code == 200
    assert "不能使用“{% include %}”" in response.content.decode()
    assert not LetterTemplate.objects.exists()
