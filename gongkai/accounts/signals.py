import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

LOGIN_AT = "gongkai_login_at"
SEEN_AT = "gongkai_seen_at"
# Whether the user had a confirmed TOTP device when this session signed in (so no request needs to ask).
HAS_DEVICE = "gongkai_otp_device"


@receiver(user_logged_in)
def staff_session_start(sender, request, user, **kwargs):
    """Stamp the session for the idle and absolute limits; it ends with the browser unless configured otherwise."""
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now
    from .otp import user_has_device

    request.session[HAS_DEVICE] = user_has_device(user)
    if settings.GONGKAI_SESSION_EXPIRE_AT_BROWSER_CLOSE:
        request.session.set_expiry(0)
