"""The one settings module. Everything that varies between a laptop and a
province-wide deployment comes from ``GONGKAI_*`` variables and
``DATABASE_URL``; without them gongkai runs on an embedded SQLite database
under ``var/``."""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("GONGKAI_VAR_DIR", BASE_DIR.parent / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """The key from the environment, else one generated once and kept in var/."""
    if key := os.environ.get("GONGKAI_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        # O_EXCL: two processes starting at once keep the same key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as f:
            f.write(key)
        return key


SECRET_KEY = _secret_key()
DEBUG = _env_bool("GONGKAI_DEBUG")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("GONGKAI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "gongkai.agencies",
    "gongkai.catalogue",
    "gongkai.applications",
    "gongkai.appeals",
    "gongkai.audit",
    "gongkai.reports",
    "gongkai.demo",
    "gongkai.portal",
    "gongkai.supervision",
    "gongkai.ingest",
    "gongkai.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_default_db = f"sqlite:///{VAR_DIR / 'gongkai.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_db),
        # Persistent connections pay off behind a real server (gunicorn; README "Configuration"): on SQLite
        # too, where opening the file and running the PRAGMAs below cost more than a cached page (ADR 022).
        # Off by default, so `runserver` and the management commands open and close as before; health
        # checks make a kept connection that broke be reopened instead of failing the request.
        conn_max_age=int(os.environ.get("GONGKAI_DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the
        # write lock at BEGIN so concurrent writers queue instead of failing.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reports:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns at every start when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
# Static files are served by WhiteNoise straight from the apps, so the demo
# and a small deployment need no separate web server or collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GONGKAI_LOG_LEVEL", "WARNING")},
}

# Uploaded files (scans, attachments, letters) are kept under var/ and served
# only through views that check permissions, never as public media.
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("GONGKAI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("GONGKAI_FROM_EMAIL", "gongkai@localhost")

# --- The public channel: Content-Security-Policy, cache and rate limits (docs/decisions/012) ---
from csp.constants import NONE, SELF  # noqa: E402

# Scripts and styles come only from our static files: no inline <script>, <style>, style="" or onclick="".
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}
# Right after SecurityMiddleware, so responses of the middleware below it (CSRF failures, redirects) carry it too.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
MIDDLEWARE.append("django_ratelimit.middleware.RatelimitMiddleware")


def _cache(url: str) -> dict:
    """The cache behind the rate limits: this process's memory unless GONGKAI_CACHE_URL names a shared one."""
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "gongkai"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url.startswith("memcached://"):
        return {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
                "LOCATION": url.removeprefix("memcached://")}
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"GONGKAI_CACHE_URL: unsupported scheme in {url!r} (redis://, rediss://, memcached://)")


# Several server processes count separately in LocMemCache: set GONGKAI_CACHE_URL (Redis, memcached) for them.
CACHES = {"default": _cache(os.environ.get("GONGKAI_CACHE_URL", ""))}
# Rendered public item pages (portal/pagecache.py): their own store, so they never push rate-limit counters out.
CACHES["pages"] = ({**CACHES["default"], "KEY_PREFIX": "pages"} if os.environ.get("GONGKAI_CACHE_URL") else
                   {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "gongkai-pages",
                    "OPTIONS": {"MAX_ENTRIES": 2000}})
RATELIMIT_ENABLE = _env_bool("GONGKAI_RATELIMIT_ENABLE", True)
RATELIMIT_VIEW = "gongkai.portal.ratelimits.ratelimited"
# Behind a reverse proxy every request comes from the proxy: name the header it sets, e.g. HTTP_X_REAL_IP.
RATELIMIT_IP_META_KEY = os.environ.get("GONGKAI_RATELIMIT_IP_META_KEY") or None
# Overrides of gongkai.portal.ratelimits.DEFAULT_LIMITS, e.g. {"apply.create": "5/10m", "track": "20/h"}.
PUBLIC_RATE_LIMITS: dict[str, str] = {}

# The public site's address, for links in exports (the WeChat editor export).
GONGKAI_PUBLIC_BASE_URL = os.environ.get("GONGKAI_PUBLIC_BASE_URL", "http://127.0.0.1:8000")

# --- Staff sign-in and security headers (docs/decisions/019) ---
from datetime import timedelta  # noqa: E402

INSTALLED_APPS += ["axes", "django_otp", "django_otp.plugins.otp_totp", "gongkai.accounts"]
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "gongkai.accounts.middleware.PermissionsPolicyMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
                  "django_otp.middleware.OTPMiddleware")
_after_messages = MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1
MIDDLEWARE[_after_messages:_after_messages] = ["gongkai.accounts.middleware.StaffSessionMiddleware",
                                               "gongkai.accounts.middleware.SecondFactorMiddleware"]
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # last, as django-axes asks

# Passwords: Argon2 (above), at least 10 characters of three kinds, not like the user's name, not common.
AUTH_PASSWORD_VALIDATORS.append({"NAME": "gongkai.accounts.validators.CharacterClassValidator",
                                 "OPTIONS": {"min_classes": int(os.environ.get("GONGKAI_PASSWORD_CLASSES", "3"))}})
AUTH_PASSWORD_VALIDATORS[1] = {"NAME": "gongkai.accounts.validators.MinimumLengthValidator",
                               "OPTIONS": {"min_length": int(os.environ.get("GONGKAI_PASSWORD_MIN_LENGTH", "10"))}}

# Lockout (django-axes): after GONGKAI_LOGIN_FAILURE_LIMIT wrong passwords for one username, from anywhere, that
# username is locked for GONGKAI_LOGIN_LOCKOUT_MINUTES; a success resets the count. Per-address spraying is
# limited by the "login" rate limit (gongkai.portal.ratelimits).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_ENABLED = _env_bool("GONGKAI_LOGIN_LOCKOUT", True)
AXES_FAILURE_LIMIT = int(os.environ.get("GONGKAI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("GONGKAI_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "gongkai.accounts.views.lockout"
AXES_IPWARE_META_PRECEDENCE_ORDER = [RATELIMIT_IP_META_KEY or "REMOTE_ADDR"]
AXES_VERBOSE = False

# Staff sessions end after GONGKAI_SESSION_IDLE_MINUTES without a request, GONGKAI_SESSION_MAX_HOURS after
# sign-in, and when the browser closes (GONGKAI_SESSION_EXPIRE_AT_BROWSER_CLOSE); public sessions are untouched.
GONGKAI_SESSION_IDLE_MINUTES = int(os.environ.get("GONGKAI_SESSION_IDLE_MINUTES", "30"))
GONGKAI_SESSION_MAX_HOURS = int(os.environ.get("GONGKAI_SESSION_MAX_HOURS", "12"))
GONGKAI_SESSION_EXPIRE_AT_BROWSER_CLOSE = _env_bool("GONGKAI_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)

# The second factor (django-otp, TOTP): optional per user; GONGKAI_OTP_REQUIRED makes it compulsory for all staff.
GONGKAI_OTP_REQUIRED = _env_bool("GONGKAI_OTP_REQUIRED")
OTP_TOTP_ISSUER = os.environ.get("GONGKAI_OTP_ISSUER", "gongkai 政府信息公开")

# Headers: nosniff, X-Frame-Options DENY, Referrer-Policy and COOP above and by default; Permissions-Policy by
# gongkai.accounts. Behind HTTPS (GONGKAI_HTTPS=1): secure cookies, HSTS, and a redirect from http://.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if _env_bool("GONGKAI_HTTPS"):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("GONGKAI_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("GONGKAI_HSTS_INCLUDE_SUBDOMAINS")
    SECURE_SSL_REDIRECT = _env_bool("GONGKAI_HTTPS_REDIRECT", True)
    # The proxy in front terminates TLS and says so in this header (it must overwrite what clients send).
    if header := os.environ.get("GONGKAI_PROXY_SSL_HEADER", "HTTP_X_FORWARDED_PROTO"):
        SECURE_PROXY_SSL_HEADER = (header, "https")
# W006 warns that a lockout without the address can be dodged by rotating user agents or cookies; it counts
# failures per username whatever the client sends, which is the point (an office behind one NAT is not locked).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]


def _data_keys() -> list[str]:
    """Keys that encrypt applicants' identity numbers: GONGKAI_DATA_KEYS (comma-separated Fernet keys, the first
    encrypts), else one generated once into var/data_key. Keep a copy apart from the backups (gongkai backup
    leaves it out): without it the numbers cannot be read (docs/decisions/019, 020)."""
    if keys := os.environ.get("GONGKAI_DATA_KEYS"):
        return [k.strip() for k in keys.split(",") if k.strip()]
    path = VAR_DIR / "data_key"
    try:
        return [path.read_text().strip()]
    except FileNotFoundError:
        from cryptography.fernet import Fernet

        key = Fernet.generate_key().decode("ascii")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return [path.read_text().strip()]
        with os.fdopen(fd, "w") as f:
            f.write(key)
        return [key]


GONGKAI_DATA_KEYS = _data_keys()
# --- Benchmarks (bench/, docs/decisions/021) ---
# Routes the minimal view of the portal benchmark at /_bench/minimal/; never set in production.
GONGKAI_BENCH = _env_bool("GONGKAI_BENCH")
