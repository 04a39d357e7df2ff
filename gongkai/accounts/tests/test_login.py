"""Staff sign-in: lockout, session limits, password policy, the TOTP second factor, security headers."""

import time

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.accounts.signals import LOGIN_AT, SEEN_AT
from gongkai.audit.models import AuditEntry

PASSWORD = "gongkai-demo-2026"


@pytest.fixture
def staff(db):
    return User.objects.create_user("clerk", password=PASSWORD, first_name="张三")


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    from django.core.cache import cache

    cache.clear()
    settings.RATELIMIT_ENABLE = False


def _login(client, username="clerk", password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


def _code(device, offset=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset * device.step
    return f"{totp.token():06d}"


def _enrolled(user):
    return TOTPDevice.objects.create(user=user, name="动态验证码", confirmed=True)


@pytest.mark.django_db
class TestLockout:
    def test_five_wrong_passwords_lock_the_username(self, client, staff):
        for _ in range(4):
            assert _login(client, password="wrong-password-1").status_code == 200
        response = _login(client, password="wrong-password-1")
        assert response.status_code == 429
        text = response.content.decode()
        assert "登录失败次数过多" in text and "15 分钟后再试" in text
        # The right password is refused while locked, from another client too.
        from django.test import Client

        other = Client(REMOTE_ADDR="10.0.0.9")
        assert _login(other).status_code == 429
        assert "_auth_user_id" not in other.session

    def test_a_success_resets_the_count(self, client, staff):
        for _ in range(4):
            _login(client, password="wrong-password-1")
        assert _login(client).status_code == 302
        client.logout()
        for _ in range(4):
            assert _login(client, password="wrong-password-1").status_code == 200

    def test_the_limit_is_a_setting(self, client, staff, settings):
        settings.AXES_FAILURE_LIMIT = 2
        _login(client, password="x")
        assert _login(client, password="x").status_code == 429

    def test_login_posts_are_rate_limited_per_address(self, client, staff, settings):
        settings.RATELIMIT_ENABLE = True
        settings.PUBLIC_RATE_LIMITS = {"login": "3/10m"}
        for i in range(3):
            _login(client, username=f"nobody{i}", password="x")
        response = _login(client, username="nobody9", password="x")
        assert response.status_code == 429 and "登录" in response.content.decode()


@pytest.mark.django_db
class TestSessionLimits:
    def _age(self, client, *, login=0, seen=0):
        session = client.session
        session[LOGIN_AT] -= login
        session[SEEN_AT] -= seen
        session.save()

    def test_sign_in_sets_a_browser_session(self, client, staff):
        _login(client)
        assert client.session.get_expire_at_browser_close()
        assert client.cookies["sessionid"]["expires"] == ""

    def test_idle_sessions_end(self, client, staff):
        _login(client)
        self._age(client, seen=31 * 60, login=31 * 60)
        response = client.get(reverse("reports:home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"]).content.decode()
        assert "30 分钟没有操作" in page

    def test_activity_keeps_the_session(self, client, staff):
        _login(client)
        self._age(client, seen=29 * 60, login=29 * 60)
        assert client.get(reverse("reports:home")).status_code == 200
        assert time.time() - client.session[SEEN_AT] < 5

    def test_sessions_end_after_the_absolute_limit_whatever_the_activity(self, client, staff, settings):
        settings.GONGKAI_SESSION_MAX_HOURS = 8
        _login(client)
        self._age(client, login=8 * 3600 + 1)
        response = client.get(reverse("reports:home"))
        assert response.status_code == 302 and "_auth_user_id" not in client.session
        assert "登录已超过 8 小时" in client.get(response["Location"]).content.decode()

    def test_an_expired_session_still_gets_public_pages(self, client, staff):
        _login(client)
        self._age(client, seen=31 * 60, login=31 * 60)
        response = client.get("/api/v1/agencies")
        assert response.status_code == 200 and "_auth_user_id" not in client.session

    def test_public_sessions_are_not_touched(self, client, db):
        session = client.session
        session["apply-receipt"] = "X"
        session.save()
        assert client.get("/").status_code == 200 and client.session["apply-receipt"] == "X"


class TestPasswordPolicy:
    @pytest.mark.parametrize("password", [PASSWORD, "Zhengwu2026!", "公开信息-2026-abc"])
    def test_good_passwords(self, password):
        validate_password(password)

    @pytest.mark.parametrize("password, message", [
        ("short-1A", "密码太短：至少需要 10 个字符"),
        ("abcdefghijkl", "密码须至少包含小写字母、大写字母、数字、符号中的 3 类"),
        ("1234567890123", "密码只包含数字"),
        ("password123", "这个密码太常见了"),
    ])
    def test_bad_passwords_are_refused_in_chinese(self, password, message):
        from django.utils import translation

        with pytest.raises(ValidationError) as e, translation.override("zh-hans"):
            validate_password(password)
            e.value.messages  # noqa: B018 (evaluated in Chinese)
        with translation.override("zh-hans"):
            assert any(message in m for m in e.value.messages), e.value.messages


@pytest.mark.django_db
class TestSecondFactor:
    def test_enrolment_shows_a_qr_code_and_the_key_and_needs_a_code(self, client, staff, artifacts_dir):
        client.force_login(staff)
        page = client.get(reverse("accounts:otp"))
        html = page.content.decode()
        assert page.status_code == 200 and 'src="data:image/svg+xml;base64,' in html
        device = TOTPDevice.objects.get(user=staff, confirmed=False)
        from gongkai.accounts.otp import secret_text

        assert secret_text(device) in html
        (artifacts_dir / "otp-enrol.html").write_text(html)
        # Showing the page again keeps the same key (the app may already have it).
        client.get(reverse("accounts:otp"))
        assert TOTPDevice.objects.filter(user=staff).count() == 1
        wrong = client.post(reverse("accounts:otp"), {"token": "000000" if _code(device) != "000000" else "111111"})
        assert "动态验证码不正确" in wrong.content.decode()
        device.refresh_from_db()
        assert not device.confirmed
        device.throttle_reset()  # django-otp makes the next try after a failure wait; the test does not
        response = client.post(reverse("accounts:otp"), {"token": _code(device)})
        assert response.status_code == 302
        device.refresh_from_db()
        assert device.confirmed
        assert AuditEntry.objects.filter(action="user.otp_enable", target_id=str(staff.pk)).exists()
        # This session counts as verified: pages open.
        assert client.get(reverse("reports:home")).status_code == 200

    def test_login_asks_for_the_code_and_logs_in_only_with_it(self, client, staff):
        device = _enrolled(staff)
        response = _login(client, next="/staff/")
        assert response.status_code == 302 and response["Location"] == reverse("accounts:verify")
        assert "_auth_user_id" not in client.session
        assert client.get(reverse("reports:home")).status_code == 302  # not logged in yet
        wrong = client.post(reverse("accounts:verify"), {"token": "12345"})
        assert "6 位数字" in wrong.content.decode() and "_auth_user_id" not in client.session
        response = client.post(reverse("accounts:verify"), {"token": _code(device)})
        assert response.status_code == 302 and response["Location"] == "/staff/"
        assert client.session["_auth_user_id"] == str(staff.pk)
        assert client.get(reverse("reports:home")).status_code == 200

    def test_too_many_wrong_codes_start_over(self, client, staff):
        device = _enrolled(staff)
        _login(client)
        good = _code(device)
        for _ in range(5):
            response = client.post(reverse("accounts:verify"), {"token": "999999" if good != "999999" else "888888"})
            device.throttle_reset()
        assert response.status_code == 302 and response["Location"] == reverse("login")
        assert client.post(reverse("accounts:verify"), {"token": _code(device)})["Location"] == reverse("login")
        assert "_auth_user_id" not in client.session

    def test_a_session_without_the_code_is_ended(self, client, staff):
        """A session that skipped the code step (e.g. opened before enrolment elsewhere) must sign in again."""
        client.force_login(staff)
        _enrolled(staff)
        session = client.session
        session.pop("gongkai_otp_device")
        session.save()
        response = client.get(reverse("reports:home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        assert "_auth_user_id" not in client.session

    def test_a_session_opened_before_enrolment_elsewhere_is_ended_within_a_minute(self, client, staff):
        _login(client)
        assert client.get(reverse("reports:home")).status_code == 200
        _enrolled(staff)  # in another browser
        assert client.get(reverse("reports:home")).status_code == 200  # the session does not ask every request
        session = client.session
        session[SEEN_AT] -= 61
        session.save()
        response = client.get(reverse("reports:home"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        assert "_auth_user_id" not in client.session

    def test_the_admin_login_goes_through_the_staff_login(self, client, staff):
        root = User.objects.create_superuser("root", password=PASSWORD)
        device = _enrolled(root)
        response = client.get("/admin/login/?next=/admin/")
        assert response.status_code == 302 and response["Location"] == f"{reverse('login')}?next=%2Fadmin%2F"
        evil = client.get("/admin/login/?next=https://evil.example/")
        assert evil["Location"] == f"{reverse('login')}?next=%2Fadmin%2F"
        client.post("/admin/login/", {"username": "root", "password": PASSWORD})
        assert "_auth_user_id" not in client.session
        _login(client, username="root", next="/admin/")
        assert client.get("/admin/").status_code == 302
        response = client.post(reverse("accounts:verify"), {"token": _code(device)})
        assert response["Location"] == "/admin/" and client.get("/admin/").status_code == 200

    def test_required_for_all_staff(self, client, staff, settings):
        settings.GONGKAI_OTP_REQUIRED = True
        _login(client)
        response = client.get(reverse("reports:home"))
        assert response.status_code == 302 and response["Location"] == reverse("accounts:otp")
        assert client.get(reverse("accounts:otp")).status_code == 200
        device = TOTPDevice.objects.get(user=staff)
        client.post(reverse("accounts:otp"), {"token": _code(device)})
        assert client.get(reverse("reports:home")).status_code == 200
        # Compulsory: it cannot be removed by the user.
        client.post(reverse("accounts:otp_disable"), {"token": _code(device)})
        assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()

    def test_disable_needs_a_current_code(self, client, staff):
        device = _enrolled(staff)
        _login(client)
        client.post(reverse("accounts:verify"), {"token": _code(device)})
        device.refresh_from_db()
        device.throttle_reset()
        client.post(reverse("accounts:otp_disable"), {"token": "000000" if _code(device) != "000000" else "111111"})
        assert TOTPDevice.objects.filter(user=staff).exists()
        device.refresh_from_db()
        device.throttle_reset()
        # The code just used is refused again (django-otp keeps the last time step), so take the next one.
        response = client.post(reverse("accounts:otp_disable"), {"token": _code(device, offset=1)})
        assert response.status_code == 302 and not TOTPDevice.objects.filter(user=staff).exists()
        assert AuditEntry.objects.filter(action="user.otp_disable").exists()
        client.logout()
        assert _login(client).status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.django_db
class TestHeaders:
    def test_every_response_carries_the_security_headers(self, client, staff):
        for path in ("/", reverse("login"), "/api/v1/agencies"):
            response = client.get(path)
            assert response["X-Frame-Options"] == "DENY", path
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Referrer-Policy"] == "same-origin"
            assert response["Cross-Origin-Opener-Policy"] == "same-origin"
            assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
            assert "default-src 'self'" in response["Content-Security-Policy"]

    def test_https_settings(self, monkeypatch):
        """With GONGKAI_HTTPS the settings module turns on HSTS, secure cookies and the redirect."""
        import importlib
        import os

        import gongkai.settings as module

        monkeypatch.setenv("GONGKAI_HTTPS", "1")
        try:
            fresh = importlib.reload(module)
            assert fresh.SESSION_COOKIE_SECURE and fresh.CSRF_COOKIE_SECURE and fresh.SECURE_SSL_REDIRECT
            assert fresh.SECURE_HSTS_SECONDS == 365 * 24 * 3600
            assert fresh.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
        finally:
            monkeypatch.delenv("GONGKAI_HTTPS")
            importlib.reload(module)
        assert "GONGKAI_HTTPS" not in os.environ

    def test_hsts_is_sent_over_https(self, client, settings):
        settings.SECURE_HSTS_SECONDS = 3600
        response = client.get("/", secure=True)
        assert response["Strict-Transport-Security"] == "max-age=3600"
