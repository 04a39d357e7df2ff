"""A staff member enrols the second factor and signs in with it, in headless Chromium (Debian's)."""

import time

import pytest
from django.contrib.auth.models import User

from gongkai.agencies.models import Membership, Role
from gongkai.testing import BROWSER

expect = pytest.importorskip("playwright.sync_api").expect

PASSWORD = "gongkai-demo-2026"
pytestmark = [*BROWSER]


def _code(device, offset=0):
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset * device.step
    return f"{totp.token():06d}"


def test_enrol_and_sign_in_with_the_code(page, live_server, transactional_db, agency, artifacts_dir, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.RATELIMIT_ENABLE = False
    user = User.objects.create_user("gxj_handler", password=PASSWORD, last_name="王", first_name="承办")
    Membership.objects.create(user=user, agency=agency, role=Role.HANDLER)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill("gxj_handler")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="动态验证码").click()
    expect(page.get_by_role("heading", name="启用动态验证码")).to_be_visible()
    qr = page.get_by_role("img", name="动态验证码的设置二维码")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0  # the SVG data: image loaded under the CSP
    page.screenshot(path=str(artifacts_dir / "otp-enrol.png"), full_page=True)
    device = TOTPDevice.objects.get(user=user)
    page.get_by_label("动态验证码").fill(_code(device))
    page.get_by_role("button", name="启用").click()
    expect(page.get_by_role("status")).to_contain_text("已启用动态验证码")
    page.get_by_role("button", name="退出登录").click()

    page.get_by_label("用户名").fill("gxj_handler")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="输入动态验证码")).to_be_visible()
    page.get_by_label("动态验证码").fill("000000" if _code(device, 1) != "000000" else "111111")
    page.get_by_role("button", name="验证并登录").click()
    expect(page.get_by_text("动态验证码不正确")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "otp-verify-wrong.png"), full_page=True)
    device.refresh_from_db()
    device.throttle_reset()
    page.get_by_label("动态验证码").fill(_code(device, 1))
    page.get_by_role("button", name="验证并登录").click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    assert not page.csp_violations and not page.external_requests


def test_the_lockout_page(page, live_server, transactional_db, artifacts_dir, settings):
    settings.RATELIMIT_ENABLE = False
    settings.AXES_FAILURE_LIMIT = 2
    User.objects.create_user("gxj_admin", password=PASSWORD)
    page.goto(f"{live_server.url}/accounts/login/")
    for _ in range(2):
        page.get_by_label("用户名").fill("gxj_admin")
        page.get_by_label("密码").fill("wrong-password-1")
        page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="账户已暂时锁定")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "login-lockout.png"), full_page=True)
