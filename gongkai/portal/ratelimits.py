"""Rate limits of the public forms (django-ratelimit), and the Chinese 429 page (ADR 012).

The limits are counted per client IP address (``RATELIMIT_IP_META_KEY``
names the header to trust behind a reverse proxy) in the default cache, and
read from ``settings.PUBLIC_RATE_LIMITS`` at request time, so a deployment
or a test can change them without touching the views.

=====================  =========  ==============================================
group                  default    counts
=====================  =========  ==============================================
``apply.create``       5/10m      applications created (a repeated submission is not counted)
``apply.post``         20/10m     every POST of the application form, errors included (uploads cost)
``track``              20/h       status lookups, right or wrong (stops guessing tracking codes)
``feedback``           10/h       messages sent to an agency (监督、投诉、意见建议)
``login``              30/10m     staff sign-in attempts from one address (password spraying; see accounts)
=====================  =========  ==============================================
"""

from __future__ import annotations

import math
import re
from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage, is_ratelimited
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

DEFAULT_LIMITS = {
    "apply.create": "5/10m",
    "apply.post": "20/10m",
    "track": "20/h",
    "feedback": "10/h",
    "login": "30/10m",
}

# What the 429 page says was limited, and what to do meanwhile.
LIMIT_TEXTS = {
    "apply.create": ("提交政府信息公开申请", "份申请",
                     "如有多项信息需要申请，可以在一份申请中一并描述；已提交的申请可凭查询码查询办理进度。"),
    "apply.post": ("提交申请表", "次提交",
                   "请核对表中标出的错误后再提交；已通过检查的文件会暂存，无需重新选择。"),
    "track": ("查询办理进度", "次查询",
              "为防止他人猜测查询码，查询次数受到限制。请核对回执上的查询码和申请时填写的联系电话或电子邮箱。"),
    "feedback": ("提交留言", "条留言", "如情况紧急，请拨打本机关政府信息公开指南中公布的咨询电话。"),
    "login": ("登录", "次登录尝试", "同一网络地址的登录尝试次数受到限制，以防止猜测密码。忘记密码请联系本机关的系统管理员。"),
}

UNITS = {"s": "秒", "m": "分钟", "h": "小时", "d": "天"}
RATE_RE = re.compile(r"^(\d+)/(\d*)([smhd])$")


def public_rate(group: str, request) -> str:
    """The rate of a group (django-ratelimit calls this with the group name)."""
    return {**DEFAULT_LIMITS, **getattr(settings, "PUBLIC_RATE_LIMITS", {})}[group]


def rate_in_words(rate: str, noun: str) -> str:
    """``5/10m`` and 份申请 → 每10分钟最多5份申请."""
    m = RATE_RE.match(rate)
    if not m:
        return ""
    count, multiple, unit = m.groups()
    period = f"{multiple}{UNITS[unit]}" if multiple and multiple != "1" else UNITS[unit]
    return f"每{period}最多{count}{noun}"


def limit_posts(group: str):
    """Limit the POSTs of a view per IP address; GETs are never limited."""
    def decorator(view):
        limited = ratelimit(group=group, key="ip", rate=public_rate, method="POST")(view)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            request.ratelimit_group = group
            return limited(request, *args, **kwargs)
        return wrapper
    return decorator


def count_or_refuse(request, group: str) -> None:
    """Count one more use of ``group`` (e.g. an application created) and refuse it beyond the limit."""
    if is_ratelimited(request, group=group, key="ip", rate=public_rate, method="POST", increment=True):
        request.ratelimit_group = group
        raise Ratelimited()


def ratelimited(request, exception):
    """``RATELIMIT_VIEW``: a 429 page in Chinese that says what was limited, how far, and for how long."""
    group = getattr(request, "ratelimit_group", "")
    rate = public_rate(group, request) if group in DEFAULT_LIMITS else ""
    action, noun, advice = LIMIT_TEXTS.get(group, ("提交", "次", ""))
    minutes = None
    if rate:
        usage = get_usage(request, group=group, key="ip", rate=public_rate, method="POST")
        if usage and usage["time_left"] > 0:
            minutes = max(1, math.ceil(usage["time_left"] / 60))
    response = render(request, "portal/apply/ratelimited.html", {
        "owner": None, "agency": None, "region": None, "crumbs": [],
        "action": action,
        "limit": rate_in_words(rate, noun) if rate else "",
        "minutes": minutes,
        "advice": advice,
    }, status=429)
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    response["Cache-Control"] = "no-store"
    return response
