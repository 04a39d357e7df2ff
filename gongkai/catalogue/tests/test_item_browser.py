"""A provider drafts with the editor, the reviewer approves, the office publishes: headless Chromium (Debian's)."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from gongkai.agencies.models import Membership, Role, Unit
from gongkai.catalogue.models import CatalogueEntry, Item, ItemStatus
from gongkai.testing import BROWSER

expect = pytest.importorskip("playwright.sync_api").expect

PASSWORD = "a-demo-password-1"
TITLE = "关于印发《测试县工业企业技术改造专项资金管理办法》的通知"

pytestmark = [
    *BROWSER,
    pytest.mark.urls("gongkai.catalogue.tests.urls_for_tests"),
]




@pytest.fixture
def team(transactional_db, agency, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    economy = Unit.objects.create(agency=agency, name="经济运行股")
    office = Unit.objects.create(agency=agency, name="办公室")
    CatalogueEntry.objects.create(agency=agency, name="政策文件")
    people = {}
    for username, name, role, unit in (("gxj_provider", "孙提供", Role.PROVIDER, economy),
                                       ("gxj_reviewer", "钱审核", Role.REVIEWER, economy),
                                       ("gxj_publisher", "王发布", Role.PUBLISHER, office)):
        user = User.objects.create_user(username, password=PASSWORD, last_name=name[0], first_name=name[1:])
        Membership.objects.create(user=user, agency=agency, role=role, unit=unit)
        people[role] = user
    return people


def login(page, base, username, next_path):
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def logout(page):
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_load_state()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.django_db(transaction=True)
def test_draft_review_publish(live_server, team, agency, page, artifacts_dir):
    base = live_server.url
    items = f"/staff/{agency.code}/items/"
    formed = timezone.localdate() - timedelta(days=3)

    # --- the provider drafts with the editor ---------------------------------------
    login(page, base, "gxj_provider", items + "new/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("新建主动公开信息")
    page.get_by_role("textbox", name="标题（必填）").fill(TITLE)
    page.get_by_label("文件类型").select_option("normative_document")
    page.get_by_label("体裁").select_option("notice")
    page.get_by_label("主题分类").fill("工业、交通")
    page.get_by_label("文号").fill("测工信[2025]12号")
    page.get_by_label("关键词").fill("技术改造 专项资金")
    page.get_by_label("内容概述").fill("印发技术改造专项资金管理办法，明确支持范围、申报程序和监督管理。")
    expect(page.locator(".counter")).to_contain_text("/100 字")
    page.get_by_label("成文日期（必填）").fill(formed.isoformat())
    page.get_by_label("所属目录").select_option(label="政策文件")
    expect(page.get_by_label("提供股室")).to_have_value(str(Unit.objects.get(name="经济运行股").pk))

    # The body textarea became an editor, labelled by the field's label; Tab leaves it.
    editor = page.get_by_role("textbox", name="正文")
    expect(editor).to_be_visible()
    expect(page.locator("textarea[name=body]")).to_be_hidden()
    editor.click()
    page.keyboard.type("各有关企业：")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="加粗").click()
    page.keyboard.type("现将办法印发给你们")
    page.get_by_role("button", name="加粗").click()
    page.keyboard.type("，请遵照执行。")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="项目符号列表").click()
    page.keyboard.type("支持范围")
    page.keyboard.press("Enter")
    page.keyboard.type("申报程序")
    editor.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('ql-editor')") is False
    # The HTML source can be shown and edited, and the editor takes it back.
    source_button = page.get_by_role("button", name="HTML 源码")
    source_button.click()
    source = page.locator("textarea[name=body]")
    expect(source).to_be_visible()
    expect(source_button).to_have_attribute("aria-pressed", "true")
    assert "<strong>现将办法印发给你们</strong>" in source.input_value()
    source_button.click()
    expect(source).to_be_hidden()
    expect(editor).to_contain_text("申报程序")
    page.screenshot(path=str(artifacts_dir / "items-form.png"), full_page=True)
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state()

    item = Item.objects.get()
    assert item.status == ItemStatus.DRAFT and item.document_number == "测工信〔2025〕12号"
    assert "<strong>现将办法印发给你们</strong>" in item.body
    assert "<ul><li>支持范围</li><li>申报程序</li></ul>" in item.body
    assert "&nbsp;" not in item.body
    expect(page.get_by_text("草稿已保存")).to_be_visible()
    expect(page.locator(".item-body strong")).to_have_text("现将办法印发给你们")

    page.locator("#action-submit summary").click()
    page.locator("#action-submit").get_by_role("button", name="提交审核").click()
    page.wait_for_load_state()
    expect(page.get_by_text("操作已完成：提交审核。")).to_be_visible()
    logout(page)

    # --- the reviewer approves with the confidentiality review ---------------------
    login(page, base, "gxj_reviewer", items + "awaiting/")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_load_state()
    page.locator("#action-approve summary").click()
    approve = page.locator("#action-approve")
    approve.get_by_role("button", name="审核通过").click()  # without the review: refused, with the reason
    page.wait_for_load_state()
    expect(page.locator("#action-approve")).to_contain_text("保密审查未确认不涉密的信息不得公开")
    approve = page.locator("#action-approve")
    approve.get_by_label(re.compile("不涉及国家秘密")).check()
    approve.get_by_label("保密审查意见").fill("经审查，该信息不涉及国家秘密，内容合法，同意公开。")
    approve.get_by_role("button", name="审核通过").click()
    page.wait_for_load_state()
    expect(page.get_by_text("操作已完成：审核通过。")).to_be_visible()
    logout(page)

    # --- the office publishes to the website and WeChat ----------------------------
    login(page, base, "gxj_publisher", items + "awaiting/")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_load_state()
    page.locator("#action-publish summary").click()
    publish = page.locator("#action-publish")
    expect(publish.get_by_label("政府网站信息公开专栏")).to_be_checked()
    publish.get_by_label("政务微信公众号").check()
    publish.get_by_role("button", name="发布").click()
    page.wait_for_load_state()

    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED and item.channels == ["website", "wechat"]
    assert item.index_number == f"{agency.code}/{item.published_on.year}-00001"
    expect(page.locator("td.index-number")).to_have_text(item.index_number)
    expect(page.locator(".meta-box")).to_contain_text("测工信〔2025〕12号")
    expect(page.locator(".meta-box")).to_contain_text(agency.name)
    page.screenshot(path=str(artifacts_dir / "items-detail.png"), full_page=True)

    page.goto(f"{base}{items}")
    expect(page.get_by_role("cell", name=item.index_number)).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "items-list.png"), full_page=True)

    # --- a phone, and the larger-font mode ------------------------------------------
    page.set_viewport_size({"width": 390, "height": 844})
    for name, path in (("list", items), ("detail", f"{items}{item.pk}/"), ("amend", f"{items}{item.pk}/amend/")):
        page.goto(f"{base}{path}")
        assert no_sideways_scroll(page), name
        page.screenshot(path=str(artifacts_dir / f"items-{name}-phone.png"), full_page=True)
    page.get_by_role("button", name="大字模式").click()
    assert page.evaluate("document.documentElement.classList.contains('large-font')")
    for name, path in (("detail", f"{items}{item.pk}/"), ("amend", f"{items}{item.pk}/amend/")):
        page.goto(f"{base}{path}")
        assert no_sideways_scroll(page), name
        page.screenshot(path=str(artifacts_dir / f"items-{name}-phone-large.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}{items}{item.pk}/")
    page.screenshot(path=str(artifacts_dir / "items-detail-large.png"), full_page=True)

    assert page.external_requests == [], "nothing may be fetched from outside the site"
