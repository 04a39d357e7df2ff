"""Letters (告知书) on the staff pages: generating them from the detail page, the agency's settings and templates."""

import io
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document as open_docx

from gongkai.applications.letters.defaults import default_body
from gongkai.applications.letters.kinds import LetterKind
from gongkai.applications.letters.services import LETTER_NO_EXTENSION
from gongkai.applications.models import Document, DocumentKind, LetterSettings, LetterTemplate
from gongkai.applications.views import LETTER_STALE_FORM
from gongkai.audit.models import AuditEntry

from .test_views import (  # noqa: F401 (fixtures)
    act, login, media_root, register_app, team, today, url,
)

CORRECTION = LetterKind.CORRECTION_NOTICE.value
CORRECTION_TITLE = "政府信息公开申请补正告知书"


def corrected_app(agency, team):
    """An application whose handler has asked for a correction (补正): the 补正告知书 fits."""
    app = register_app(agency, team["registrar"], handler=team["handler"])
    act("request_correction", app, team["handler"], notified_on=today(), items="请写明所需文件的名称或文号")
    return app


def letters(app, kind=CORRECTION):
    return list(Document.objects.filter(application=app, kind=DocumentKind.LETTER, letter_kind=kind).order_by("pk"))


def docx_text(document: Document) -> str:
    with document.file.open("rb") as f:
        return "\n".join(p.text for p in open_docx(io.BytesIO(f.read())).paragraphs)


def generate(client, agency, app, kind=CORRECTION, seen=None):
    """Press the button of ``kind`` as the detail page shows it (with the page's token unless given)."""
    if seen is None:
        seen = max((d.pk for d in letters(app, kind)), default=0)
    return client.post(url("letter_create", agency, app.pk, kind), {"seen": seen})


def message(response) -> str:
    """The message the response added (earlier unread ones wait in the session before it)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def audits(action, target) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, target_type=target._meta.label_lower,
                                          target_id=str(target.pk)))


# --- generating letters from the detail page ------------------------------------------------


@pytest.mark.django_db
class TestLetterCreate:
    def test_handler_generates_a_correction_notice(self, client, agency, team):
        app = corrected_app(agency, team)
        login(client, team["handler"])
        response = generate(client, agency, app)

        assert response.status_code == 302 and response["Location"] == url("detail", agency, app.pk) + "#letters"
        assert message(response) == f"已生成《{CORRECTION_TITLE}》（DOCX、PDF）"
        files = {d.title: d for d in letters(app)}
        assert set(files) == {f"{CORRECTION_TITLE}.docx", f"{CORRECTION_TITLE}.pdf"}
        text = docx_text(files[f"{CORRECTION_TITLE}.docx"])
        assert "张三丰：" in text and "请写明所需文件的名称或文号" in text

        html = client.get(url("detail", agency, app.pk)).content.decode()
        section = html[html.index('id="letters"'):html.index('id="documents"')]
        assert "<h3>补正告知书</h3>" in section and CORRECTION_TITLE in section
        for document in files.values():
            assert url("document", agency, app.pk, document.pk) in section
        assert "再次生成补正告知书" in section
        # Letters have their own section; the table of materials keeps the applicant's files.
        materials = html[html.index('id="documents"'):]
        assert CORRECTION_TITLE not in materials.split('id="h-audit"')[0]
        assert "生成告知书" in html  # the audit trail names the step
        download = client.get(url("document", agency, app.pk, files[f"{CORRECTION_TITLE}.pdf"].pk))
        assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")

    def test_buttons_follow_the_state_of_the_application(self, client, agency, team):
        app = register_app(agency, team["registrar"], handler=team["handler"])
        html = login(client, team["handler"]).get(url("detail", agency, app.pk)).content.decode()
        assert "尚未生成告知书" in html and "/letters/correction_notice/" not in html
        assert "当前办理情况下没有可以出具的告知书" in html
        act("request_correction", app, team["handler"], notified_on=today(), items="请写明文号")
        html = client.get(url("detail", agency, app.pk)).content.decode()
        assert f'action="{url("letter_create", agency, app.pk, CORRECTION)}"' in html
        assert "生成补正告知书" in html and '<input type="hidden" name="seen" value="0">' in html
        assert "/letters/extension_notice/" not in html and "/letters/reply_disclosed/" not in html

    @pytest.mark.parametrize("who", ["approver", "provider", "supervisor"])
    def test_only_staff_who_may_act_see_the_buttons(self, client, agency, team, who):
        app = corrected_app(agency, team)
        html = login(client, team[who]).get(url("detail", agency, app.pk)).content.decode()
        assert "/letters/correction_notice/" not in html and "生成补正告知书" not in html
        assert "告知书" in html  # the section itself is there, read-only

    def test_a_role_that_may_not_write_letters_gets_403(self, client, agency, team):
        app = corrected_app(agency, team)
        for who in ("approver", "provider", "supervisor"):
            assert generate(login(client, team[who]), agency, app).status_code == 403, who
        assert letters(app) == []

    def test_refusal_is_shown_on_the_detail_page(self, client, agency, team):
        app = corrected_app(agency, team)
        response = generate(login(client, team["handler"]), agency, app, kind=LetterKind.EXTENSION_NOTICE.value)
        assert response.status_code == 302
        page = client.get(response["Location"])
        html = page.content.decode()
        assert f'<li class="message error">{LETTER_NO_EXTENSION}</li>' in html
        assert not Document.objects.filter(kind=DocumentKind.LETTER).exists()

    def test_unknown_kind_is_404_and_get_is_405(self, client, agency, team):
        app = corrected_app(agency, team)
        login(client, team["handler"])
        assert client.post(url("letter_create", agency, app.pk, "love_letter"), {"seen": 0}).status_code == 404
        assert client.get(url("letter_create", agency, app.pk, CORRECTION)).status_code == 405

    def test_double_submission_files_one_letter(self, client, agency, team):
        app = corrected_app(agency, team)
        login(client, team["handler"])
        first = generate(client, agency, app, seen=0)
        second = generate(client, agency, app, seen=0)  # the same button, pressed twice

        assert len(letters(app)) == 2  # one DOCX and one PDF
        assert message(first) == f"已生成《{CORRECTION_TITLE}》（DOCX、PDF）"
        repeat = message(second)
        assert "本次提交未重复生成" in repeat and "王承办" in repeat
        # The page after the redirect carries the new letter's id: a deliberate second letter is filed.
        html = client.get(url("detail", agency, app.pk)).content.decode()
        seen = re.search(r'name="seen" value="(\d+)"', html).group(1)
        assert int(seen) == letters(app)[-1].pk
        generate(client, agency, app, seen=seen)
        assert len(letters(app)) == 4

    @pytest.mark.skipif(not connection.features.has_select_for_update, reason="SQLite locks the whole database")
    def test_concurrent_clicks_wait_for_the_application_row(self, client, agency, team):
        """The check of the token and the filing happen under a lock of the application row."""
        app = corrected_app(agency, team)
        login(client, team["handler"])
        with CaptureQueriesContext(connection) as queries:
            generate(client, agency, app, seen=0)
        sql = [q["sql"] for q in queries.captured_queries]
        lock = next(i for i, q in enumerate(sql) if "FOR UPDATE" in q and "applications_application" in q)
        check = next(i for i, q in enumerate(sql) if "applications_document" in q and "letter_kind" in q)
        insert = next(i for i, q in enumerate(sql) if q.startswith('INSERT INTO "applications_document"'))
        assert lock < check < insert

    def test_a_post_without_the_token_files_nothing(self, client, agency, team):
        app = corrected_app(agency, team)
        response = login(client, team["handler"]).post(url("letter_create", agency, app.pk, CORRECTION), {})
        assert response.status_code == 302 and message(response) == LETTER_STALE_FORM
        assert letters(app) == []

    def test_letters_grouped_by_kind_newest_first(self, client, agency, team):
        app = corrected_app(agency, team)
        act("record_supplement", app, team["handler"], supplemented_on=today())
        act("start_consultation", app, team["handler"], party_kind="third_party", party_name="某某公司",
            sent_on=today())
        login(client, team["handler"])
        generate(client, agency, app)
        generate(client, agency, app, kind=LetterKind.CONSULTATION_LETTER.value)
        generate(client, agency, app)
        html = client.get(url("detail", agency, app.pk)).content.decode()
        section = html[html.index('id="letters"'):html.index('id="documents"')]
        assert section.index("<h3>补正告知书</h3>") < section.index("<h3>第三方意见征询函</h3>")
        correction = section[:section.index("<h3>第三方意见征询函</h3>")]
        newest, older = letters(app)[2:], letters(app)[:2]
        links = [int(pk) for pk in re.findall(r"/documents/(\d+)/", correction)]
        assert links == sorted(d.pk for d in newest) + sorted(d.pk for d in older)
        assert correction.count("最新") == 1

    def test_a_handler_not_assigned_generates_but_cannot_download(self, client, agency, team):
        """letter_generate lets any handler of the agency write letters; downloads stay with the staff handling it."""
        app = corrected_app(agency, team)
        html = login(client, team["handler2"]).get(url("detail", agency, app.pk)).content.decode()
        assert "生成补正告知书" in html
        generate(client, agency, app)
        html = client.get(url("detail", agency, app.pk)).content.decode()
        section = html[html.index('id="letters"'):html.index('id="documents"')]
        assert CORRECTION_TITLE in section and "/documents/" not in section
        assert "仅本申请的承办人、申请登记人和机关管理员可以下载告知书" in section


# --- the agency's letter settings ---------------------------------------------------------


SETTINGS_POST = {
    "letterhead": "测试县工业和信息化局", "office": "测试县工业和信息化局", "number_prefix": "测工信依申",
    "address": "测试县人民路1号", "postal_code": "351200", "phone": "0594-1234567", "contact_person": "王芳",
    "reconsideration_body": "测试县人民政府", "court": "测试市中级人民法院集中管辖的测试区人民法院",
    "fee_payment_method": "", "footer": "本告知书一式两份。",
}


@pytest.mark.django_db
class TestLetterSettings:
    def test_reading_shows_the_defaults_and_writes_nothing(self, client, agency, team):
        html = login(client, team["admin"]).get(url("letter_settings", agency)).content.decode()
        assert 'placeholder="测试县人民政府"' in html and 'placeholder="测试县人民法院"' in html
        assert "保存设置" in html
        assert not LetterSettings.objects.exists()

    def test_admin_saves_and_the_next_letter_uses_them(self, client, agency, team):
        app = corrected_app(agency, team)
        response = login(client, team["admin"]).post(url("letter_settings", agency), SETTINGS_POST)
        assert response.status_code == 302 and message(response) == "已保存告知书设置。"
        settings = LetterSettings.objects.get(agency=agency)
        assert (settings.court, settings.postal_code) == (SETTINGS_POST["court"], "351200")
        [entry] = audits("letter_settings.update", settings)
        assert entry.actor == team["admin"] and entry.agency == agency
        assert entry.data["changed"]["court"] == ["测试县人民法院", SETTINGS_POST["court"]]
        assert "管辖法院" in entry.note
        # Saving the same values again changes nothing and logs nothing.
        response = client.post(url("letter_settings", agency), SETTINGS_POST)
        assert message(response) == "告知书设置没有变化。"
        assert len(audits("letter_settings.update", settings)) == 1

        generate(login(client, team["handler"]), agency, app)
        text = docx_text(letters(app)[0])
        assert f"直接向{SETTINGS_POST['court']}提起行政诉讼" in text and "测工信依申〔" in text and "王芳" in text

    def test_invalid_values_come_back_in_chinese(self, client, agency, team):
        response = login(client, team["admin"]).post(url("letter_settings", agency),
                                                     {**SETTINGS_POST, "postal_code": "35120", "phone": "12345"})
        html = response.content.decode()
        assert response.status_code == 400
        assert "邮政编码应为6位数字。" in html and "联系电话格式不正确" in html
        assert not AuditEntry.objects.filter(action="letter_settings.update").exists()

    def test_other_staff_read_but_may_not_change(self, client, agency, team):
        for who in ("handler", "registrar", "provider", "supervisor"):
            html = login(client, team[who]).get(url("letter_settings", agency)).content.decode()
            assert "只有本机关的机关管理员可以修改告知书设置" in html and "保存设置" not in html, who
            assert re.search(r'<input type="text" name="court"[^>]* disabled', html), who
            assert client.post(url("letter_settings", agency), SETTINGS_POST).status_code == 403, who
        assert not LetterSettings.objects.exists()


# --- the agency's letter templates ---------------------------------------------------------


CUSTOM_BODY = "{{ applicant }}：\n本机关特别提示：请于{{ supplement_due_on }}前补正。\n{{ remedies }}"


def save_template(client, agency, kind=CORRECTION, **data):
    return client.post(url("letter_template", agency, kind), {"title": "", "body": CUSTOM_BODY, **data})


@pytest.mark.django_db
class TestLetterTemplates:
    def test_list_says_default_or_customised(self, client, agency, team):
        login(client, team["admin"])
        html = client.get(url("letter_templates", agency)).content.decode()
        assert html.count("<span class=\"tag\">默认</span>") == len(LetterKind)
        save_template(client, agency)
        html = client.get(url("letter_templates", agency)).content.decode()
        assert html.count("<span class=\"tag\">默认</span>") == len(LetterKind) - 1 and "已自定义" in html

    def test_editor_starts_from_the_default_beside_the_variables(self, client, agency, team):
        html = login(client, team["admin"]).get(url("letter_template", agency, CORRECTION)).content.decode()
        assert "政府信息公开申请补正告知书" in html and "默认模板" in html
        assert "{{ correction_item_list }}" in html.replace("&#x27;", "'")  # in the textarea and the list
        assert "{{ supplement_due_on }}" in html and "补正期限" in html
        assert "恢复默认" not in html  # nothing to restore yet

    def test_editing_a_template_changes_the_next_letter(self, client, agency, team):
        app = corrected_app(agency, team)
        login(client, team["admin"])
        response = save_template(client, agency)
        assert response.status_code == 302
        assert "此后生成的告知书使用新模板" in message(response)
        template = LetterTemplate.objects.get(agency=agency, kind=CORRECTION)
        assert template.body == CUSTOM_BODY
        [entry] = audits("letter_template.create", template)
        assert entry.actor == team["admin"] and entry.data["after"]["body"] == CUSTOM_BODY

        generate(login(client, team["handler"]), agency, app)
        text = docx_text(letters(app)[0])
        assert "本机关特别提示" in text and "张三丰：" in text

        login(client, team["admin"])
        save_template(client, agency, body=CUSTOM_BODY + "\n此致")
        [update] = audits("letter_template.update", template)
        assert update.data["before"]["body"] == CUSTOM_BODY
        response = save_template(client, agency, body=CUSTOM_BODY + "\r\n此致")  # the browser's line ends
        assert message(response) == "模板内容没有变化，未保存。"
        assert len(audits("letter_template.update", template)) == 1

    @pytest.mark.parametrize("body,message", [
        ("{{ applicant }}：\n第二行\n本机关{{ nosuch }}。", "第3行：没有名为“nosuch”的变量"),
        ("{% load static %}\n{{ applicant }}", "第1行：告知书模板不能使用“{% load %}”"),
        ("{{ applicant }}\n{% if outcome %}\n没有结束", "有未结束的标签"),
        ("{{ applicant|upper }}", "第1行：不支持过滤器“upper”"),
    ])
    def test_invalid_template_rejected_with_its_line(self, client, agency, team, body, message):
        response = save_template(login(client, team["admin"]), agency, body=body)
        html = response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
        assert response.status_code == 400
        errors = re.search(r'<ul class="errorlist" id="id_body_error">(.*?)</ul>', html, re.S).group(1)
        assert message in errors
        assert "模板有错误，改正后才能预览。" in html
        assert not LetterTemplate.objects.exists()
        assert not AuditEntry.objects.filter(action__startswith="letter_template").exists()

    def test_syntax_errors_name_their_line(self, client, agency, team):
        response = save_template(login(client, team["admin"]), agency, body="{{ applicant }}：\n\n{% if %}x{% endif %}")
        assert response.status_code == 400 and "第3行" in response.content.decode()

    def test_empty_body_is_refused(self, client, agency, team):
        response = save_template(login(client, team["admin"]), agency, body="  ")
        assert response.status_code == 400 and "告知书正文不能为空。" in response.content.decode()

    def test_restore_default(self, client, agency, team):
        app = corrected_app(agency, team)
        login(client, team["admin"])
        save_template(client, agency)
        template = LetterTemplate.objects.get()
        html = client.get(url("letter_template", agency, CORRECTION)).content.decode()
        assert url("letter_template_reset", agency, CORRECTION) in html and "已自定义" in html

        response = client.post(url("letter_template_reset", agency, CORRECTION))
        assert response.status_code == 302 and response["Location"] == url("letter_template", agency, CORRECTION)
        assert message(response) == "已恢复《补正告知书》的默认模板。"
        assert not LetterTemplate.objects.exists()
        [entry] = audits("letter_template.reset", template)
        assert entry.data["before"]["body"] == CUSTOM_BODY and entry.actor == team["admin"]
        response = client.post(url("letter_template_reset", agency, CORRECTION))
        assert message(response) == "《补正告知书》使用的已是默认模板。"
        assert AuditEntry.objects.filter(action="letter_template.reset").count() == 1

        generate(login(client, team["handler"]), agency, app)
        assert "本机关特别提示" not in docx_text(letters(app)[0])

    def test_saving_the_default_text_keeps_the_default(self, client, agency, team):
        response = save_template(login(client, team["admin"]), agency, title="政府信息公开申请补正告知书",
                                 body=default_body(CORRECTION))
        assert message(response) == "内容与默认模板相同，未另存自定义模板。"
        assert not LetterTemplate.objects.exists()

    def test_preview_uses_the_latest_fitting_application(self, client, agency, team):
        login(client, team["admin"])
        html = client.get(url("letter_template", agency, CORRECTION)).content.decode()
        assert "本机关目前没有可以出具《补正告知书》的申请" in html
        app = corrected_app(agency, team)
        html = client.get(url("letter_template", agency, CORRECTION)).content.decode()
        preview = html[html.index('id="preview"'):]
        assert app.reference in preview and '<p class="salutation">张三丰：</p>' in preview
        assert "请写明所需文件的名称或文号" in preview and "测试县工业和信息化局" in preview

    def test_preview_of_unsaved_text_saves_nothing(self, client, agency, team):
        corrected_app(agency, team)
        response = save_template(login(client, team["admin"]), agency, preview="1")
        html = response.content.decode()
        assert response.status_code == 200 and "尚未保存" in html
        assert "本机关特别提示" in html[html.index('id="preview"'):]
        assert not LetterTemplate.objects.exists() and not AuditEntry.objects.filter(
            action__startswith="letter_template").exists()

    def test_preview_masks_the_applicant_for_staff_who_may_not_see_it(self, client, agency, team):
        corrected_app(agency, team)
        html = login(client, team["provider"]).get(url("letter_template", agency, CORRECTION)).content.decode()
        preview = html[html.index('id="preview"'):]
        assert "张**：" in preview and "张三丰" not in html
        assert "姓名已脱敏" in preview

    def test_other_staff_read_but_may_not_change(self, client, agency, team):
        login(client, team["admin"])
        save_template(client, agency)
        for who in ("handler", "registrar", "approver", "supervisor"):
            login(client, team[who])
            html = client.get(url("letter_template", agency, CORRECTION)).content.decode()
            assert "只有本机关的机关管理员可以修改模板" in html and "保存模板" not in html, who
            assert "恢复默认" not in html and re.search(r"<textarea [^>]*disabled", html), who
            assert save_template(client, agency, body="{{ applicant }}").status_code == 403, who
            assert client.post(url("letter_template_reset", agency, CORRECTION)).status_code == 403, who
        assert LetterTemplate.objects.get().body == CUSTOM_BODY

    def test_unknown_kind_is_404(self, client, agency, team):
        login(client, team["admin"])
        assert client.get(url("letter_template", agency, "love_letter")).status_code == 404
        assert client.post(url("letter_template_reset", agency, "love_letter")).status_code == 404

    def test_other_agencies_templates_stay_apart(self, client, agency, other_agency, team):
        login(client, team["admin"])
        save_template(client, agency)
        login(client, team["outsider"])  # the other agency's administrator
        assert client.get(url("letter_template", agency, CORRECTION)).status_code == 403
        html = client.get(url("letter_template", other_agency, CORRECTION)).content.decode()
        assert "本机关特别提示" not in html and "默认模板" in html
