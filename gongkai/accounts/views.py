"""Staff sign-in with the optional second factor, and the pages to enrol and remove it.

Sign-in is two steps when the user has a confirmed TOTP device: the password
form checks the password (django-axes counts failures and locks out), then
the user is only *pending* — nothing is logged in — until a current code
from the device is given on the second page. Without a device the password
logs in, unless ``GONGKAI_OTP_REQUIRED``, in which case the middleware sends
the user to enrolment before anything else.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from gongkai.portal.ratelimits import limit_posts

from .otp import confirmed_device, pending_device, qr_data_uri, secret_text, token_clean
from .signals import HAS_DEVICE

PENDING = "gongkai_otp_pending"
PENDING_SECONDS = 300
PENDING_TRIES = 5

WRONG_CODE = "动态验证码不正确或已过期，请输入验证器应用中当前显示的 6 位数字。"
TOO_MANY = "动态验证码错误次数过多，请重新输入用户名和密码。"
EXPIRED = "验证已超时，请重新输入用户名和密码。"
LOCKED_OUT = "登录失败次数过多，该账户已被暂时锁定，请 {minutes} 分钟后再试。如需立即解锁，请联系本机关的系统管理员。"


class TokenForm(forms.Form):
    token = forms.CharField(label="动态验证码", max_length=12,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                          "autofocus": True}))

    def clean_token(self):
        token = token_clean(self.cleaned_data["token"])
        if len(token) != 6:
            raise forms.ValidationError("请输入 6 位数字的动态验证码。")
        return token


def _next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


class StaffLoginView(auth_views.LoginView):
    """The password step; a user with a confirmed device goes on to the code step instead of being logged in."""

    template_name = "registration/login.html"
    redirect_authenticated_user = False

    def form_valid(self, form):
        user = form.get_user()
        if confirmed_device(user) is None:
            return super().form_valid(form)
        self.request.session[PENDING] = {"user": user.pk, "backend": user.backend, "at": int(time.time()),
                                         "tries": 0, "next": self.get_success_url()}
        return redirect("accounts:verify")


staff_login = limit_posts("login")(StaffLoginView.as_view())


@sensitive_post_parameters("token")
@never_cache
def login_verify(request):
    """The code step: log in only with a current code from the device of the user who gave the password."""
    pending = request.session.get(PENDING)
    if not pending:
        return redirect("login")
    if time.time() - pending["at"] > PENDING_SECONDS:
        del request.session[PENDING]
        messages.warning(request, EXPIRED)
        return redirect("login")
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    device = confirmed_device(user) if user else None
    if device is None:
        del request.session[PENDING]
        return redirect("login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # verify_token throttles itself (django-otp): each failure doubles the wait before the next try.
        if device.verify_token(form.cleaned_data["token"]):
            target = pending["next"]
            del request.session[PENDING]
            user.backend = pending["backend"]
            login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return HttpResponseRedirect(target)
        pending["tries"] += 1
        if pending["tries"] >= PENDING_TRIES:
            del request.session[PENDING]
            messages.error(request, TOO_MANY)
            return redirect("login")
        request.session[PENDING] = pending
        form.add_error("token", WRONG_CODE)
    return render(request, "accounts/verify.html", {"form": form, "username": user.get_username()})


@login_required
@never_cache
def otp_settings(request):
    """The user's second factor: enrol (QR code and the key as text, confirmed by a first code) or its status."""
    device = confirmed_device(request.user)
    if device is not None:
        return render(request, "accounts/otp.html", {"device": device, "form": TokenForm(),
                                                     "required": settings.GONGKAI_OTP_REQUIRED})
    pending = pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if pending.verify_token(form.cleaned_data["token"]):
            pending.confirmed = True
            pending.save(update_fields=["confirmed"])
            otp_login(request, pending)
            request.session[HAS_DEVICE] = True
            _audit(request, "user.otp_enable")
            messages.success(request, "已启用动态验证码。今后登录时，输入密码后还需输入验证器应用中的动态验证码。")
            return redirect("accounts:otp")
        form.add_error("token", WRONG_CODE)
    return render(request, "accounts/otp_enrol.html", {
        "form": form, "qr": qr_data_uri(pending), "secret": secret_text(pending),
        "required": settings.GONGKAI_OTP_REQUIRED})


@login_required
@require_POST
def otp_disable(request):
    """Remove the second factor, with a current code as proof; refused when it is compulsory."""
    device = confirmed_device(request.user)
    if device is None:
        return redirect("accounts:otp")
    if settings.GONGKAI_OTP_REQUIRED:
        messages.error(request, "本系统要求工作人员启用动态验证码，不能停用。更换手机请联系系统管理员重置。")
        return redirect("accounts:otp")
    form = TokenForm(request.POST)
    if not form.is_valid() or not device.verify_token(form.cleaned_data["token"]):
        messages.error(request, "停用失败：" + WRONG_CODE)
        return redirect("accounts:otp")
    type(device).objects.filter(user=request.user).delete()
    request.session[HAS_DEVICE] = False
    _audit(request, "user.otp_disable")
    messages.success(request, "已停用动态验证码。")
    return redirect("accounts:otp")


def admin_login(request):
    """The admin signs in through the staff login (with its second factor), then returns to the admin."""
    target = _next(request, reverse("admin:index"))
    return redirect(f"{reverse('login')}?{urlencode({'next': target})}")


def lockout(request, credentials, *args, **kwargs):
    """django-axes' response to a locked-out sign-in (AXES_LOCKOUT_CALLABLE): 429 with the wait in Chinese."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(request, "accounts/lockout.html", {"message": LOCKED_OUT.format(minutes=minutes)},
                      status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def _audit(request, action: str) -> None:
    from gongkai.audit.services import audit_record

    audit_record(actor=request.user, agency=None, target=request.user, action=action)
