"""Staff session limits, the optional compulsory second factor, and headers Django does not set itself."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from .signals import HAS_DEVICE, LOGIN_AT, SEEN_AT

IDLE = "您已 {minutes} 分钟没有操作，为保护数据已自动退出，请重新登录。"
ABSOLUTE = "登录已超过 {hours} 小时，为保护数据已自动退出，请重新登录。"
# The last-seen stamp is rewritten at most this often, so a busy page does not write the session every request.
SEEN_RESOLUTION = 60


class StaffSessionMiddleware:
    """Ends a signed-in session idle for ``GONGKAI_SESSION_IDLE_MINUTES`` or older than ``…_MAX_HOURS``.

    Public visitors have no account; their sessions (an online application's
    receipt) are not touched. Placed after the authentication and OTP
    middleware. The once-a-minute refresh of the last-seen stamp also
    re-reads whether the user has a device, so a session opened before the
    user enrolled elsewhere is asked for a code within a minute.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._expired(request)
            if expired:
                # Go on as anonymous: staff pages send to the login page (which shows why), public ones and the
                # API simply answer.
                logout(request)
                messages.warning(request, expired)
        return self.get_response(request)

    @staticmethod
    def _expired(request) -> str:
        now = int(time.time())
        session = request.session
        login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
        if login_at is None or seen_at is None:  # a session from before these limits: start counting now
            session[LOGIN_AT] = login_at or now
            session[SEEN_AT] = now
            return ""
        idle = settings.GONGKAI_SESSION_IDLE_MINUTES * 60
        absolute = settings.GONGKAI_SESSION_MAX_HOURS * 3600
        if idle and now - seen_at > idle:
            return IDLE.format(minutes=settings.GONGKAI_SESSION_IDLE_MINUTES)
        if absolute and now - login_at > absolute:
            return ABSOLUTE.format(hours=settings.GONGKAI_SESSION_MAX_HOURS)
        if now - seen_at >= SEEN_RESOLUTION:
            session[SEEN_AT] = now
            if not request.user.is_verified():
                # Enrolled meanwhile in another session? Then this one must give a code too (SecondFactorMiddleware).
                from .otp import user_has_device

                session[HAS_DEVICE] = user_has_device(request.user)
        return ""


class SecondFactorMiddleware:
    """Requires the second factor of a signed-in user when it is compulsory or the user has enrolled.

    After ``django_otp.middleware.OTPMiddleware``: ``request.user.is_verified()``
    is true only when this session passed a TOTP code. Sign-in goes through
    ``accounts.views`` (the admin's login page redirects there), which asks for
    the code before logging in; this is the second line for any session that
    did not, and the enforcement of ``GONGKAI_OTP_REQUIRED``.
    """

    ALLOWED = ("accounts:", "logout", "login")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        name = (f"{match.namespace}:" if match and match.namespace else "") + (match.url_name or "") if match else ""
        if name in self.ALLOWED or name.startswith("accounts:") or request.path.startswith(settings.STATIC_URL):
            return None
        has_device = request.session.get(HAS_DEVICE)
        if has_device is None:  # a session from before the second factor existed
            from .otp import user_has_device

            has_device = request.session[HAS_DEVICE] = user_has_device(user)
        if settings.GONGKAI_OTP_REQUIRED and not has_device:
            messages.info(request, "本系统要求工作人员启用动态验证码，请先完成设置。")
            return redirect("accounts:otp")
        if has_device:
            # Enrolled (or required) but this session never gave a code: sign in again.
            logout(request)
            return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
        return None


class PermissionsPolicyMiddleware:
    """``Permissions-Policy``: the pages use no camera, microphone, location, payment, USB or sensors."""

    POLICY = ", ".join(f"{feature}=()" for feature in (
        "camera", "microphone", "geolocation", "payment", "usb", "accelerometer", "gyroscope", "magnetometer",
        "display-capture", "browsing-topics"))

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.POLICY)
        return response
