from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Staff sign-in: password policy, lockout, second factor, session expiry, security headers (decision 019)."""

    name = "gongkai.accounts"
    label = "accounts"
    verbose_name = "账户与登录安全"

    def ready(self):
        from . import signals  # noqa: F401
