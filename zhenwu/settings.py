"""Django settings, read from the environment (see README "Configuration")."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("ZHENWU_DATA_DIR", BASE_DIR.parent / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
DEMO_MODE = env_bool("ZHENWU_DEMO", False)


def env_list(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


# The secret key signs sessions, CSRF tokens, password-reset links and one-time-code hashes, and seals
# codes waiting in the outbox. Without DEBUG the process refuses to start unless a real one is set; a
# demo or test run on a trusted machine opts out, visibly, with ZHENWU_ALLOW_DEV_SECRET_KEY=1.
DEV_SECRET_KEY = "zhenwu-insecure-development-key-set-SECRET_KEY-in-production"
ALLOW_DEV_SECRET_KEY = env_bool("ZHENWU_ALLOW_DEV_SECRET_KEY", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")  # old keys, still accepted while they age out
if not SECRET_KEY and (DEBUG or ALLOW_DEV_SECRET_KEY):
    SECRET_KEY = DEV_SECRET_KEY
if not (DEBUG or ALLOW_DEV_SECRET_KEY) and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "SECRET_KEY is missing or too weak (fewer than 32 characters) and DEBUG is off, so Zhenwu will not "
        "start. Set SECRET_KEY to a long random value, e.g. the output of\n"
        "  python3 -c 'import secrets; print(secrets.token_urlsafe(50))'\n"
        "and keep it the same on every web and worker process. For a demo on your own machine only, set "
        "ZHENWU_ALLOW_DEV_SECRET_KEY=1 instead.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "zhenwu.web.views_errors.csrf_failure"  # Chinese, in the site's layout

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ninja",  # swagger-ui for /api/v1/docs from the package's own static files, never a CDN
    "zhenwu.areas",
    "zhenwu.accounts",
    "zhenwu.casework",
    "zhenwu.registry",
    "zhenwu.services",
    "zhenwu.grid",
    "zhenwu.enforcement",
    "zhenwu.assistance",
    "zhenwu.web",
    "zhenwu.demo",
]

MIDDLEWARE = [
    "zhenwu.web.security.TrustedProxyMiddleware",  # first: everything after sees the real client address
    "django.middleware.security.SecurityMiddleware",
    "zhenwu.web.security.ContentSecurityPolicyMiddleware",
    "zhenwu.api_errors.ApiErrorMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "zhenwu.web.middleware.NulByteMiddleware",
    "zhenwu.web.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zhenwu.accounts.middleware.IdleTimeoutMiddleware",
    "zhenwu.web.middleware.CitizenBoundaryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "zhenwu.urls"
WSGI_APPLICATION = "zhenwu.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "zhenwu.web.context.site",
                "zhenwu.accounts.context.password_notice",
            ],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
# Each server thread keeps its connection for a minute (no connect per request), checked before reuse.
if DATABASE_URL:
    DATABASES: dict[str, dict[str, object]] = {
        "default": dict(dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True))}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["ENGINE"] = "zhenwu.postgresql"  # the same, with a health check sending nothing
    # The hot statements (zhenwu.querycache.hot_cursor) are prepared once per connection on PostgreSQL: no
    # parse and plan per request. Everything else stays unprepared (Django's default). Off behind a
    # transaction-pooling pgbouncer older than 1.21 (ZHENWU_DB_PREPARED=0).
    if env_bool("ZHENWU_DB_PREPARED", True) and str(DATABASES["default"]["ENGINE"]).endswith("postgresql"):
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 2**31 - 1  # type: ignore[index]
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "zhenwu.sqlite3",
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Not for limits or anything several processes must agree on (see zhenwu/accounts/throttle.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["REDIS_URL"]}}

# Passwords: at least 8 characters from 3 character classes (等保 2.0 practice; DOMAIN.md).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": env_int("ZHENWU_PASSWORD_MIN_LENGTH", 8)}},
    {"NAME": "zhenwu.accounts.passwords.CharacterClassValidator",
     "OPTIONS": {"classes": env_int("ZHENWU_PASSWORD_CLASSES", 3)}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Login policy (settings with DOMAIN.md defaults).
LOGIN_MAX_FAILURES = env_int("ZHENWU_LOGIN_MAX_FAILURES", 5)
LOGIN_FAILURE_WINDOW_MINUTES = env_int("ZHENWU_LOGIN_FAILURE_WINDOW_MINUTES", 15)
LOGIN_LOCK_MINUTES = env_int("ZHENWU_LOGIN_LOCK_MINUTES", 30)
SESSION_IDLE_MINUTES = env_int("ZHENWU_SESSION_IDLE_MINUTES", 30)
OTP_TTL_SECONDS = env_int("ZHENWU_OTP_TTL_SECONDS", 300)
OTP_MAX_ATTEMPTS = env_int("ZHENWU_OTP_MAX_ATTEMPTS", 5)
OTP_RESEND_SECONDS = env_int("ZHENWU_OTP_RESEND_SECONDS", 60)
ADMIN_TWO_FACTOR = env_bool("ZHENWU_ADMIN_TWO_FACTOR", True)  # SMS code after the password for administrators
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
PASSWORD_MAX_AGE_DAYS = env_int("ZHENWU_PASSWORD_MAX_AGE_DAYS", 0)  # 0: ask only for never-changed passwords
# 实名核验 of self-registrations: a class with check(); the default accepts everyone (zhenwu/accounts/realname.py).
REALNAME_CHECK = os.environ.get("ZHENWU_REALNAME_CHECK", "zhenwu.accounts.realname.NoRealNameCheck")

# Throttles, "count/seconds" per client address or mobile; atomic and shared by every process (the
# database, or Redis when REDIS_URL is set). "0/1" switches one off. See zhenwu/accounts/throttle.py.
THROTTLE_RATES = {
    "login_ip": os.environ.get("ZHENWU_THROTTLE_LOGIN_IP", "60/300"),  # password and code logins
    "otp_ip": os.environ.get("ZHENWU_THROTTLE_OTP_IP", "20/3600"),  # login codes asked for
    "otp_mobile": os.environ.get("ZHENWU_THROTTLE_OTP_MOBILE", "10/3600"),
    "register_ip": os.environ.get("ZHENWU_THROTTLE_REGISTER_IP", "30/3600"),  # codes asked + sign-ups tried
    "register_mobile": os.environ.get("ZHENWU_THROTTLE_REGISTER_MOBILE", "5/3600"),
    # Upload quota: bytes one user may upload per 24 hours (from the window's first upload).
    "upload_bytes_staff": f"{env_int('ZHENWU_UPLOAD_QUOTA_STAFF', 200 * 1024 * 1024)}/86400",
    "upload_bytes_public": f"{env_int('ZHENWU_UPLOAD_QUOTA_PUBLIC', 50 * 1024 * 1024)}/86400",  # citizens, firms
    "open311_ip": os.environ.get("ZHENWU_THROTTLE_OPEN311_IP", "300/60"),  # every Open311 call per address
    "open311_client": os.environ.get("ZHENWU_THROTTLE_OPEN311_CLIENT", "120/60"),  # POST requests per api_key
    # 一网治理's public pages: reports per client address / signed-in citizen, tracking attempts
    "grid_report_ip": os.environ.get("ZHENWU_THROTTLE_GRID_REPORT_IP", "10/3600"),
    "grid_report_user": os.environ.get("ZHENWU_THROTTLE_GRID_REPORT_USER", "20/86400"),
    "grid_track_ip": os.environ.get("ZHENWU_THROTTLE_GRID_TRACK_IP", "30/300"),
    "grid_track_number": os.environ.get("ZHENWU_THROTTLE_GRID_TRACK_NUMBER", "10/3600"),
    # 一队执法's public decisions (pages and API) per client address
    "enforcement_public_ip": os.environ.get("ZHENWU_THROTTLE_ENFORCEMENT_PUBLIC_IP", "300/300"),
    # 福村宝's public ledger pages: anonymous views per client address
    "assistance_ledger_ip": os.environ.get("ZHENWU_THROTTLE_ASSISTANCE_LEDGER_IP", "60/300"),
}
THROTTLE_REDIS_URL = os.environ.get("REDIS_URL", "")
# URL namespaces citizen and enterprise accounts may open (web.middleware.CitizenBoundaryMiddleware; everything
# else is staff-only): its defaults, 一网治理's public report and tracking pages, 一队执法's public power list.
CITIZEN_URL_NAMESPACES = ["web", "accounts", "api", "open311", "portal", "public", "grid_public", "enforcement_public",
                          "assistance_public"]

# HTTPS and the proxy in front (README "Operating Zhenwu"). ZHENWU_HTTPS=1 turns on the redirect to
# HTTPS, HSTS and secure cookies; each can be set on its own. ZHENWU_TRUSTED_PROXIES names the reverse
# proxies (addresses or networks) whose X-Forwarded-For and X-Forwarded-Proto are believed; from any
# other peer those headers are dropped, so limits and login records see the real client address.
HTTPS = env_bool("ZHENWU_HTTPS", False)
SECURE_SSL_REDIRECT = env_bool("ZHENWU_SSL_REDIRECT", HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the proxy's health check may speak plain HTTP
SECURE_HSTS_SECONDS = env_int("ZHENWU_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ZHENWU_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("ZHENWU_HSTS_PRELOAD", HTTPS)
SESSION_COOKIE_SECURE = env_bool("ZHENWU_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
TRUSTED_PROXIES = env_list("ZHENWU_TRUSTED_PROXIES")
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = env_list("ZHENWU_SILENCED_CHECKS")
if str(DATABASES["default"]["ENGINE"]).endswith("sqlite3"):
    # Covering indexes (INCLUDE) pay on PostgreSQL; SQLite builds the same index without the extra columns.
    SILENCED_SYSTEM_CHECKS.append("models.W040")
# Content-Security-Policy of every page: scripts only from our own static files, never inline.
CONTENT_SECURITY_POLICY = os.environ.get("ZHENWU_CSP") or (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:"
    "{tiles}; font-src 'self' data:; connect-src 'self'; object-src 'self'; frame-src 'self'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
# The browsable API docs (/api/v1/docs, swagger-ui served from django-ninja's own files, no CDN):
# on with DEBUG or ZHENWU_API_DOCS=1; the OpenAPI document itself is always at /api/v1/openapi.json.
API_DOCS = env_bool("ZHENWU_API_DOCS", DEBUG)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("ZHENWU_STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root
MEDIA_ROOT = Path(os.environ.get("ZHENWU_MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = True

# Files: local disk by default; S3-compatible (MinIO) when ZHENWU_S3_BUCKET is set (needs django-storages).
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
                    if not DEBUG else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("ZHENWU_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["ZHENWU_S3_BUCKET"],
            "endpoint_url": os.environ.get("ZHENWU_S3_ENDPOINT_URL"),
            "access_key": os.environ.get("ZHENWU_S3_ACCESS_KEY"),
            "secret_key": os.environ.get("ZHENWU_S3_SECRET_KEY"),
            "file_overwrite": False,
        },
    }
ATTACHMENT_MAX_BYTES = env_int("ZHENWU_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
ATTACHMENT_ALLOWED_TYPES = [
    t.strip() for t in os.environ.get(
        "ZHENWU_ATTACHMENT_ALLOWED_TYPES",
        "image/jpeg,image/png,image/webp,application/pdf",
    ).split(",") if t.strip()
]
ATTACHMENT_THUMBNAIL_PX = env_int("ZHENWU_ATTACHMENT_THUMBNAIL_PX", 320)
# Images larger than this (width × height, read from the header before decoding) are refused: a small
# compressed file can claim a huge canvas (an image bomb). 64 MP lets 48/50 MP phone photos through.
ATTACHMENT_MAX_PIXELS = env_int("ZHENWU_ATTACHMENT_MAX_PIXELS", 64_000_000)

# Registry imports: size and row limits; files above INLINE_ROWS rows run in the background.
REGISTRY_IMPORT_MAX_BYTES = env_int("ZHENWU_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
REGISTRY_IMPORT_MAX_ROWS = env_int("ZHENWU_IMPORT_MAX_ROWS", 200_000)
REGISTRY_IMPORT_INLINE_ROWS = env_int("ZHENWU_IMPORT_INLINE_ROWS", 2000)
# Without a Celery broker, background imports run in a thread of the web process so progress shows.
REGISTRY_IMPORT_THREADS = env_bool("ZHENWU_IMPORT_THREADS", True)

# Background work: Celery + Redis when configured, eager in-process otherwise.
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("CELERY_BROKER_URL")
# Eager mode never sends to it; naming a host keeps kombu from warning "No hostname was supplied" on each task.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "tick": {"task": "zhenwu.casework.tasks.tick", "schedule": env_int("ZHENWU_TICK_SECONDS", 60)},
    "audit-checkpoint": {"task": "zhenwu.casework.tasks.audit_checkpoint",
                         "schedule": env_int("ZHENWU_AUDIT_CHECKPOINT_SECONDS", 86400)},
}

# Audit checkpoints (docs/casework.md "Audit chain"): an Ed25519 key outside the database signs a Merkle
# root over every chain's head; each checkpoint goes to the database and to an append-only JSON-lines
# file to copy off the machine. Back up both (README "Operating"). Without DEBUG a missing key is an
# error (`zhenwu audit keygen` makes it) rather than silently replaced by a new one.
AUDIT_KEY_FILE = Path(os.environ.get("ZHENWU_AUDIT_KEY_FILE", DATA_DIR / "audit" / "checkpoint-key.pem"))
AUDIT_CHECKPOINT_FILE = Path(os.environ.get("ZHENWU_AUDIT_CHECKPOINT_FILE",
                                            DATA_DIR / "audit" / "checkpoints.jsonl"))
AUDIT_KEY_AUTOCREATE = env_bool("ZHENWU_AUDIT_KEY_AUTOCREATE", DEBUG)

# Notifications. SMS go through an HTTP gateway in production (zhenwu/casework/sms.py, README "The SMS
# gateway"). `console` and `log` show one-time codes to whoever reads the terminal or the log, and
# `fake` keeps messages in memory: without DEBUG they are refused unless ZHENWU_ALLOW_INSECURE_SMS=1
# says, visibly, that this is a demo or a test run.
SMS_BACKEND = os.environ.get("ZHENWU_SMS_BACKEND", "console")  # http | console | log | fake
ALLOW_INSECURE_SMS = env_bool("ZHENWU_ALLOW_INSECURE_SMS", False)
SMS_GATEWAY_URL = os.environ.get("ZHENWU_SMS_GATEWAY_URL", "")
SMS_GATEWAY_KEY = os.environ.get("ZHENWU_SMS_GATEWAY_KEY", "")  # shared secret of the HMAC-SHA256 signature
SMS_GATEWAY_KEY_ID = os.environ.get("ZHENWU_SMS_GATEWAY_KEY_ID", "")  # the account/app id at the provider
SMS_GATEWAY_FORMAT = os.environ.get("ZHENWU_SMS_GATEWAY_FORMAT", "json")  # json | form
SMS_GATEWAY_SIGN_NAME = os.environ.get("ZHENWU_SMS_GATEWAY_SIGN_NAME", "")  # 短信签名, e.g. 镇务
SMS_GATEWAY_TIMEOUT_SECONDS = env_float("ZHENWU_SMS_GATEWAY_TIMEOUT_SECONDS", 5.0)
# Message kind → the provider's template id, as JSON: {"login_code": "SMS_1", "register_code": "SMS_2"}.
SMS_TEMPLATES: dict[str, str] = json.loads(os.environ.get("ZHENWU_SMS_TEMPLATES") or "{}")
if SMS_BACKEND not in {"http", "console", "log", "fake"}:
    raise ImproperlyConfigured(f"ZHENWU_SMS_BACKEND={SMS_BACKEND!r}: use http, console, log or fake.")
if SMS_BACKEND != "http" and not (DEBUG or ALLOW_INSECURE_SMS):
    raise ImproperlyConfigured(
        f"ZHENWU_SMS_BACKEND={SMS_BACKEND} shows one-time login codes to anyone who reads the terminal or the "
        "log, and DEBUG is off, so Zhenwu will not start. Configure the SMS gateway (ZHENWU_SMS_BACKEND=http, "
        "ZHENWU_SMS_GATEWAY_URL, ZHENWU_SMS_GATEWAY_KEY; README \"The SMS gateway\"), or for a demo set "
        "ZHENWU_ALLOW_INSECURE_SMS=1.")
if SMS_BACKEND == "http" and not (SMS_GATEWAY_URL and SMS_GATEWAY_KEY):
    raise ImproperlyConfigured("ZHENWU_SMS_BACKEND=http needs ZHENWU_SMS_GATEWAY_URL and ZHENWU_SMS_GATEWAY_KEY.")
NOTIFY_MAX_ATTEMPTS = env_int("ZHENWU_NOTIFY_MAX_ATTEMPTS", 8)
NOTIFY_BACKOFF_SECONDS = env_int("ZHENWU_NOTIFY_BACKOFF_SECONDS", 30)
NOTIFY_LEASE_SECONDS = env_int("ZHENWU_NOTIFY_LEASE_SECONDS", 120)
# Without a broker, notifications queued by a request are delivered after its response, by one thread
# per process (zhenwu/casework/background.py); off: inline, inside the request, as Celery's eager mode does.
NOTIFY_AFTER_RESPONSE = env_bool("ZHENWU_NOTIFY_AFTER_RESPONSE", True)
WEBHOOK_TIMEOUT_SECONDS = env_float("ZHENWU_WEBHOOK_TIMEOUT_SECONDS", 5.0)

# Geometry.
AREA_CONTAINMENT_TOLERANCE_M = env_float("ZHENWU_AREA_CONTAINMENT_TOLERANCE_M", 5.0)
MAP_TILE_URL = os.environ.get("ZHENWU_MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("ZHENWU_MAP_TILE_ATTRIBUTION", "")
# 一网治理 patrols (docs/grid-mobile.md): a track point reached faster than this is refused, tracks are
# simplified to this many metres, a check-in counts within this distance of the place.
GRID_PATROL_MAX_SPEED_KMH = env_float("ZHENWU_GRID_PATROL_MAX_SPEED_KMH", 120.0)
GRID_PATROL_SIMPLIFY_METERS = env_float("ZHENWU_GRID_PATROL_SIMPLIFY_METERS", 5.0)
GRID_PATROL_BATCH_MAX_POINTS = env_int("ZHENWU_GRID_PATROL_BATCH_MAX_POINTS", 500)
GRID_CHECKIN_MAX_METERS = env_float("ZHENWU_GRID_CHECKIN_MAX_METERS", 100.0)

# How long a process keeps admin-edited workflow definitions before reading them again.
PROCESS_CACHE_SECONDS = env_float("ZHENWU_PROCESS_CACHE_SECONDS", 5.0)

# Deadlines: yellow when at most this share of the limit, or at most one working day, is left.
DEADLINE_YELLOW_SHARE = env_float("ZHENWU_DEADLINE_YELLOW_SHARE", 0.2)

# 一窗受理: 差评整改 deadlines (working days) and public tracking attempts per case number.
SERVICES_RECTIFY_VERIFY_DAYS = env_int("ZHENWU_SERVICES_RECTIFY_VERIFY_DAYS", 1)
SERVICES_RECTIFY_DAYS = env_int("ZHENWU_SERVICES_RECTIFY_DAYS", 15)
# 审管联动: working days to follow an approval up (the SG case's limit; 0 = no deadline).
SERVICES_SUPERVISION_TASK_DAYS = env_int("ZHENWU_SERVICES_SUPERVISION_TASK_DAYS", 20)
SERVICES_TRACKING_MAX_ATTEMPTS = env_int("ZHENWU_SERVICES_TRACKING_MAX_ATTEMPTS", 5)
SERVICES_TRACKING_WINDOW_SECONDS = env_int("ZHENWU_SERVICES_TRACKING_WINDOW_SECONDS", 900)

SERVICES_TRACKING_IP_MAX_ATTEMPTS = env_int("ZHENWU_SERVICES_TRACKING_IP_MAX_ATTEMPTS", 20)
# 好差评 channels without a login: the SMS link after 出件 (days valid), the tracking page's SMS code
# (minutes valid, wrong tries), the window rating pad (minutes a case stays open on it).
SERVICES_RATING_LINK_DAYS = env_int("ZHENWU_SERVICES_RATING_LINK_DAYS", 15)
SERVICES_RATING_CODE_MINUTES = env_int("ZHENWU_SERVICES_RATING_CODE_MINUTES", 10)
SERVICES_RATING_CODE_MAX_ATTEMPTS = env_int("ZHENWU_SERVICES_RATING_CODE_MAX_ATTEMPTS", 5)
SERVICES_RATING_PAD_MINUTES = env_int("ZHENWU_SERVICES_RATING_PAD_MINUTES", 10)
# The site's address as citizens reach it, for links sent by SMS when no request is at hand.
SITE_URL = os.environ.get("ZHENWU_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Open311 GeoReport v2 (/open311/v2/): the towns served (town codes; empty = every town in the area tree),
# the discovery document's contact and key service, GET requests' default window and result cap.
OPEN311_JURISDICTIONS = env_list("ZHENWU_OPEN311_JURISDICTIONS")
OPEN311_CONTACT = os.environ.get("ZHENWU_OPEN311_CONTACT", "")
OPEN311_KEY_SERVICE = os.environ.get("ZHENWU_OPEN311_KEY_SERVICE", "")
OPEN311_DEFAULT_DAYS = env_int("ZHENWU_OPEN311_DEFAULT_DAYS", 90)
OPEN311_MAX_RESULTS = env_int("ZHENWU_OPEN311_MAX_RESULTS", 1000)
# The grid that takes requests located by address_string/address_id alone when the address names nothing the
# registry or the area names know (grid/open311/address.py; empty: such requests get 400).
OPEN311_ADDRESS_GRID = os.environ.get("ZHENWU_OPEN311_ADDRESS_GRID", "")
# 电子监察: automatic 催办 (one SMS to the handler, else the accepting clerk) when a case turns yellow / red.
SERVICES_URGE_YELLOW = env_bool("ZHENWU_SERVICES_URGE_YELLOW", True)
SERVICES_URGE_RED = env_bool("ZHENWU_SERVICES_URGE_RED", True)

# Idempotency-Key answers are replayed for this many days (casework.idempotency).
IDEMPOTENCY_KEEP_DAYS = env_int("ZHENWU_IDEMPOTENCY_KEEP_DAYS", 7)
# 一网治理 (docs/grid.md): duplicates offered on report, the dispatch limit, photos, escalation.
GRID_DUPLICATE_METERS = env_int("ZHENWU_GRID_DUPLICATE_METERS", 50)
GRID_DUPLICATE_DAYS = env_int("ZHENWU_GRID_DUPLICATE_DAYS", 7)
GRID_DISPATCH_LIMIT_HOURS = env_int("ZHENWU_GRID_DISPATCH_LIMIT_HOURS", 4)  # 立案 and 派遣 after a report
GRID_PHOTO_MAX_BYTES = env_int("ZHENWU_GRID_PHOTO_MAX_BYTES", 10 * 1024 * 1024)
GRID_MAX_PHOTOS = env_int("ZHENWU_GRID_MAX_PHOTOS", 9)
GRID_AUTO_ESCALATE = env_bool("ZHENWU_GRID_AUTO_ESCALATE", True)  # overdue at a level → the next level up
GRID_AUTO_ESCALATE_STEP_HOURS = env_int("ZHENWU_GRID_AUTO_ESCALATE_STEP_HOURS", 24)  # each level's grace
GRID_AUTO_ESCALATE_TOP = os.environ.get("ZHENWU_GRID_AUTO_ESCALATE_TOP", "county")  # highest automatic level
# 矛盾纠纷: working days each level has to mediate a dispute (小事不出网格、难事不出乡镇), and for the 回访.
GRID_DISPUTE_DAYS = {"grid": env_int("ZHENWU_GRID_DISPUTE_GRID_DAYS", 5),
                     "village": env_int("ZHENWU_GRID_DISPUTE_VILLAGE_DAYS", 10),
                     "town": env_int("ZHENWU_GRID_DISPUTE_TOWN_DAYS", 15)}
GRID_DISPUTE_FOLLOW_UP_DAYS = env_int("ZHENWU_GRID_DISPUTE_FOLLOW_UP_DAYS", 10)
# 积分 (docs/grid-scoring.md): points per rule, negative for a deduction; a JSON object in the environment
# replaces single rules. valid_report: the reporter's incident is 立案 or self-closed; self_closure: the
# worker closed it on the spot; verified_closure: the reporter's incident closed after an on-site verification;
# on_time_verification / overdue_verification: the verifier answered a handled incident within / after
# GRID_POINTS_VERIFY_HOURS (overdue and still unverified: deducted from the reporter); invalid_report: 不予立案;
# visit: each 走访; patrol_hour: each whole hour of a finished patrol (at most GRID_POINTS_PATROL_MAX_HOURS).
GRID_POINTS = {"valid_report": 2, "self_closure": 1, "verified_closure": 3, "on_time_verification": 1,
               "visit": 1, "patrol_hour": 1, "invalid_report": -2, "overdue_verification": -2,
               **json.loads(os.environ.get("ZHENWU_GRID_POINTS", "{}"))}
GRID_POINTS_VERIFY_HOURS = env_int("ZHENWU_GRID_POINTS_VERIFY_HOURS", 24)  # the fed_back step's due time
GRID_POINTS_PATROL_MAX_HOURS = env_int("ZHENWU_GRID_POINTS_PATROL_MAX_HOURS", 8)  # per patrol
# 一网治理 indicators: each a formula over the month's counts (names in docs/grid-scoring.md) and a unit
# ("%" = the ratio × 100); a JSON object in the environment replaces single indicators.
GRID_INDICATORS = {
    "closure_rate": {"formula": "closed / due", "unit": "%"},  # 结案率
    "on_time_closure_rate": {"formula": "closed_on_time / due", "unit": "%"},  # 按期结案率
    "rework_rate": {"formula": "reworked / registered", "unit": "%"},  # 返工率
    "on_time_dispatch_rate": {"formula": "dispatched_on_time / dispatched", "unit": "%"},  # 按时派遣率
    "accurate_dispatch_rate": {"formula": "(dispatched - returned) / dispatched", "unit": "%"},  # 准确派遣率
    "reports_per_worker_day": {"formula": "worker_reports / worker_days", "unit": ""},
    "patrol_hours": {"formula": "patrol_seconds / 3600", "unit": "h"},
    "patrol_km": {"formula": "patrol_meters / 1000", "unit": "km"},
    **json.loads(os.environ.get("ZHENWU_GRID_INDICATORS", "{}")),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Mobile and ID numbers are masked in every line (PIPL; DOMAIN.md "personal data masked in logs").
    "formatters": {"plain": {"()": "zhenwu.accounts.masking.MaskingFormatter",
                             "format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"},
                # In-process (eager) tasks would log a "Task … succeeded" line per SMS on the server's terminal.
                "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"}},
}

# 一队执法 (Administrative Penalty Law 2021; DOMAIN.md). The law's numbers are settings so a change of law
# is a deployment, not a code change.
ENFORCEMENT_SUMMARY_MAX_CITIZEN = env_int("ZHENWU_ENFORCEMENT_SUMMARY_MAX_CITIZEN", 200)  # Art. 51
ENFORCEMENT_SUMMARY_MAX_ORGANISATION = env_int("ZHENWU_ENFORCEMENT_SUMMARY_MAX_ORGANISATION", 3000)  # Art. 51
ENFORCEMENT_CASH_ON_SPOT_MAX = env_int("ZHENWU_ENFORCEMENT_CASH_ON_SPOT_MAX", 100)  # Art. 68
ENFORCEMENT_MAJOR_FINE_CITIZEN = env_int("ZHENWU_ENFORCEMENT_MAJOR_FINE_CITIZEN", 10_000)  # 法制审核 required from
ENFORCEMENT_MAJOR_FINE_ORGANISATION = env_int("ZHENWU_ENFORCEMENT_MAJOR_FINE_ORGANISATION", 100_000)
ENFORCEMENT_HEARING_FINE_CITIZEN = env_int("ZHENWU_ENFORCEMENT_HEARING_FINE_CITIZEN", 10_000)  # Art. 63 较大数额
ENFORCEMENT_HEARING_FINE_ORGANISATION = env_int("ZHENWU_ENFORCEMENT_HEARING_FINE_ORGANISATION", 100_000)
ENFORCEMENT_MIN_INVESTIGATORS = env_int("ZHENWU_ENFORCEMENT_MIN_INVESTIGATORS", 2)  # Art. 42
ENFORCEMENT_DECISION_DAYS = env_int("ZHENWU_ENFORCEMENT_DECISION_DAYS", 90)  # Art. 60, natural days from 立案
ENFORCEMENT_DEFENCE_WORKING_DAYS = env_int("ZHENWU_ENFORCEMENT_DEFENCE_WORKING_DAYS", 3)  # 陈述申辩期
ENFORCEMENT_HEARING_REQUEST_WORKING_DAYS = env_int("ZHENWU_ENFORCEMENT_HEARING_REQUEST_WORKING_DAYS", 5)  # Art. 64
ENFORCEMENT_HEARING_NOTICE_WORKING_DAYS = env_int("ZHENWU_ENFORCEMENT_HEARING_NOTICE_WORKING_DAYS", 7)  # Art. 64
ENFORCEMENT_SERVICE_WORKING_DAYS = env_int("ZHENWU_ENFORCEMENT_SERVICE_WORKING_DAYS", 7)  # Art. 61
ENFORCEMENT_PAYMENT_DAYS = env_int("ZHENWU_ENFORCEMENT_PAYMENT_DAYS", 15)  # Art. 67
ENFORCEMENT_LATE_FEE_PERCENT_PER_DAY = env_int("ZHENWU_ENFORCEMENT_LATE_FEE_PERCENT_PER_DAY", 3)  # Art. 72

# 社会救助 §4–5: expenditure-based assistance and payments (docs/assistance-calc.md). A rule period is this many
# months, aligned on January (1: monthly); a new rule set takes effect from a later period only.
ASSISTANCE_RULE_PERIOD_MONTHS = env_int("ZHENWU_ASSISTANCE_RULE_PERIOD_MONTHS", 1)
# The rule set `zhenwu assistance seed-rules` (and the demo) publishes for a town. The maximum combined assistance
# per household and year is Jiangyin's (DOMAIN.md: 150,000 yuan); the local standard and the rest are demo
# defaults, to be replaced by the county's published figures.
ASSISTANCE_SEED_RULE_SET: dict[str, Any] = {
    "local_standard": os.environ.get("ZHENWU_ASSISTANCE_LOCAL_STANDARD", "1210.00"),
    "household_cap_yearly": os.environ.get("ZHENWU_ASSISTANCE_HOUSEHOLD_CAP_YEARLY", "150000.00"),
    "categories": {  # need line (× local standard per member), cap per household per month
        "dibao": {"line_factor": "1.000", "cap_monthly": "6000.00", "tiers": [["0", None, "100"]]},
        "tekun": {"line_factor": "1.300", "cap_monthly": "6000.00", "tiers": [["0", None, "100"]]},
        "edge": {"line_factor": "1.500", "cap_monthly": "1500.00", "tiers": [["0", None, "30"]]},
        "expenditure": {"line_factor": "1.500", "cap_monthly": "12500.00",
                        "tiers": [["0", "2000", "100"], ["2000", "6000", "70"], ["6000", None, "50"]]},
        "temporary": {"line_factor": "1.000", "cap_monthly": "3630.00", "tiers": [["0", None, "100"]]},
    },
    "item_caps": {"medical": "100000.00", "education": "20000.00", "care": "30000.00"},  # counted per year
    "add_ons": {"severe_disability": "30", "disability": "15", "no_work_capacity": "10", "in_school": "10",
                "serious_illness": "20"},  # % of the local standard per member
}
# Publicity of decisions (Art. 39, 48): a general-procedure decision is published within 7 working days of the
# decision (国办发〔2018〕118号, the common rule), and withdrawn within 3 working days of being overturned.
ENFORCEMENT_PUBLISH_WORKING_DAYS = env_int("ZHENWU_ENFORCEMENT_PUBLISH_WORKING_DAYS", 7)
ENFORCEMENT_WITHDRAW_WORKING_DAYS = env_int("ZHENWU_ENFORCEMENT_WITHDRAW_WORKING_DAYS", 3)  # Art. 48
# 社会救助: household files and applications (docs/assistance.md). Step limits in working days; defaults follow
# the national 最低生活保障审核确认办法 (民发〔2021〕57号): the town confirms within 30 working days of accepting
# (Art. 22), the publicity lasts 7 days (Art. 19, DOMAIN.md: working days), and a household is reviewed once a
# year, every six months when its income is unstable and a member can work (Art. 32).
ASSISTANCE_ACCEPT_WORKING_DAYS = env_int("ZHENWU_ASSISTANCE_ACCEPT_WORKING_DAYS", 3)  # 申请 → 受理
ASSISTANCE_CHECK_WORKING_DAYS = env_int("ZHENWU_ASSISTANCE_CHECK_WORKING_DAYS", 7)  # 家庭经济状况核对
ASSISTANCE_SURVEY_WORKING_DAYS = env_int("ZHENWU_ASSISTANCE_SURVEY_WORKING_DAYS", 5)  # 入户调查
ASSISTANCE_APPRAISAL_WORKING_DAYS = env_int("ZHENWU_ASSISTANCE_APPRAISAL_WORKING_DAYS", 5)  # 民主评议
ASSISTANCE_PUBLICITY_WORKING_DAYS = env_int("ZHENWU_ASSISTANCE_PUBLICITY_WORKING_DAYS", 7)  # 公示 (Art. 19)
ASSISTANCE_CONFIRM_WORKING_DAYS = env_int("ZHENWU_ASSISTANCE_CONFIRM_WORKING_DAYS", 3)  # 审核确认
ASSISTANCE_PAY_WORKING_DAYS = env_int("ZHENWU_ASSISTANCE_PAY_WORKING_DAYS", 10)  # 发放: first payment
ASSISTANCE_REVIEW_WORKING_DAYS = env_int("ZHENWU_ASSISTANCE_REVIEW_WORKING_DAYS", 10)  # 动态复核, once due
ASSISTANCE_REVIEW_MONTHS = env_int("ZHENWU_ASSISTANCE_REVIEW_MONTHS", 12)  # yearly review (Art. 32)
ASSISTANCE_REVIEW_MONTHS_UNSTABLE = env_int("ZHENWU_ASSISTANCE_REVIEW_MONTHS_UNSTABLE", 6)  # a member can work
ASSISTANCE_REVIEW_MONTHS_EDGE = env_int("ZHENWU_ASSISTANCE_REVIEW_MONTHS_EDGE", 12)  # 低保边缘, 支出型
# The tick starts a 动态复核 this many days before it is due (or before the grant period ends), so the renewal or the
# stop is decided before the period runs out.
ASSISTANCE_REVIEW_LEAD_DAYS = env_int("ZHENWU_ASSISTANCE_REVIEW_LEAD_DAYS", 30)
ASSISTANCE_SURVEY_MIN_PHOTOS = env_int("ZHENWU_ASSISTANCE_SURVEY_MIN_PHOTOS", 1)  # 入户调查 photos
ASSISTANCE_APPRAISAL_MIN_PARTICIPANTS = env_int("ZHENWU_ASSISTANCE_APPRAISAL_MIN_PARTICIPANTS", 5)  # 民主评议
ASSISTANCE_INCOME_TOLERANCE_PERCENT = env_int("ZHENWU_ASSISTANCE_INCOME_TOLERANCE_PERCENT", 10)  # 核对: declared
# vs imported monthly income: a difference above this share is flagged for the survey
# 一窗受理 items that open an assistance application once the window accepts them (item code → kind)
ASSISTANCE_HALL_ITEMS = {"320000-MZ-0001": "dibao", "320000-MZ-0002": "tekun", "320000-MZ-0003": "temporary"}
# 社会救助 §3 active early warning (智能+预警; docs/assistance-warnings.md). Out-of-pocket medical spending (yuan)
# over the rolling window that raises a warning, per assistance status ("none": a person in no assistance);
# a WarningRule row of the same status overrides its default. Yuan, whole numbers.
ASSISTANCE_WARNING_THRESHOLDS = {
    "dibao": env_int("ZHENWU_ASSISTANCE_WARNING_DIBAO", 5_000),
    "tekun": env_int("ZHENWU_ASSISTANCE_WARNING_TEKUN", 5_000),
    "edge": env_int("ZHENWU_ASSISTANCE_WARNING_EDGE", 10_000),
    "expenditure": env_int("ZHENWU_ASSISTANCE_WARNING_EXPENDITURE", 10_000),
    "temporary": env_int("ZHENWU_ASSISTANCE_WARNING_TEMPORARY", 10_000),
    "none": env_int("ZHENWU_ASSISTANCE_WARNING_NONE", 50_000),
}
ASSISTANCE_WARNING_WINDOW_DAYS = env_int("ZHENWU_ASSISTANCE_WARNING_WINDOW_DAYS", 365)  # the rolling window
ASSISTANCE_WARNING_QUIET_DAYS = env_int("ZHENWU_ASSISTANCE_WARNING_QUIET_DAYS", 90)  # no second warning sooner
ASSISTANCE_WARNING_VISIT_DAYS = env_int("ZHENWU_ASSISTANCE_WARNING_VISIT_DAYS", 5)  # working days to the visit
ASSISTANCE_WARNING_EVENT_KINDS = env_list("ZHENWU_ASSISTANCE_WARNING_EVENT_KINDS", "death,disability,income_loss")
ASSISTANCE_IMPORT_MAX_ROWS = env_int("ZHENWU_ASSISTANCE_IMPORT_MAX_ROWS", 200_000)  # per file or API call
# 社会救助 §6 village medical mutual aid (福村宝; docs/assistance-mutual-aid.md): defaults of a new year.
ASSISTANCE_MUTUAL_AID_CONTRIBUTION = env_int("ZHENWU_ASSISTANCE_MUTUAL_AID_CONTRIBUTION", 50)  # yuan per person
ASSISTANCE_MUTUAL_AID_PERSON_CAP = env_int("ZHENWU_ASSISTANCE_MUTUAL_AID_PERSON_CAP", 50_000)  # yuan per person
# 双随机一公开 (docs/enforcement-draw.md): ratios are percentages of the filtered directory (two decimals)
ENFORCEMENT_DRAW_MIN_RATIO = os.environ.get("ZHENWU_ENFORCEMENT_DRAW_MIN_RATIO", "3")  # a plan may not go lower
ENFORCEMENT_DRAW_FLAGGED_RATIO = os.environ.get("ZHENWU_ENFORCEMENT_DRAW_FLAGGED_RATIO", "10")  # flagged entities
ENFORCEMENT_DRAW_FLAG_COMPLAINTS = env_int("ZHENWU_ENFORCEMENT_DRAW_FLAG_COMPLAINTS", 1)  # complaints that flag
ENFORCEMENT_DRAW_MIN_INSPECTORS = env_int("ZHENWU_ENFORCEMENT_DRAW_MIN_INSPECTORS", 2)  # per target
ENFORCEMENT_DRAW_PUBLISH_DAYS = env_int("ZHENWU_ENFORCEMENT_DRAW_PUBLISH_DAYS", 20)  # working days from the draw

# The party's remedies (stated on the decision) and the application to the court (申请法院强制执行) after them:
# reconsideration within 60 days (行政复议法 Art. 20), a lawsuit within 6 months (行政诉讼法 Art. 46); the court
# is asked, after a demand (催告) served 10 days before (行政强制法 Art. 54), within 3 months of the end of those
# periods or of an approved deferral or instalments (行政强制法 Art. 53; Administrative Penalty Law Art. 72).
ENFORCEMENT_REVIEW_DAYS = env_int("ZHENWU_ENFORCEMENT_REVIEW_DAYS", 60)
ENFORCEMENT_LAWSUIT_MONTHS = env_int("ZHENWU_ENFORCEMENT_LAWSUIT_MONTHS", 6)
# 行政诉讼法 Art. 45: after a reconsideration decision, a lawsuit within these days of receiving it
ENFORCEMENT_LAWSUIT_AFTER_REVIEW_DAYS = env_int("ZHENWU_ENFORCEMENT_LAWSUIT_AFTER_REVIEW_DAYS", 15)
ENFORCEMENT_DEMAND_DAYS = env_int("ZHENWU_ENFORCEMENT_DEMAND_DAYS", 10)
ENFORCEMENT_COURT_APPLICATION_MONTHS = env_int("ZHENWU_ENFORCEMENT_COURT_APPLICATION_MONTHS", 3)
ENFORCEMENT_MAX_INSTALMENTS = env_int("ZHENWU_ENFORCEMENT_MAX_INSTALMENTS", 12)  # 分期缴纳 (Art. 66)
ENFORCEMENT_DISCUSSION_MIN_PARTICIPANTS = env_int("ZHENWU_ENFORCEMENT_DISCUSSION_MIN_PARTICIPANTS", 3)  # Art. 57
ENFORCEMENT_CREDIT_YEARS = env_int("ZHENWU_ENFORCEMENT_CREDIT_YEARS", 3)  # 信用记录: a penalty flags the party
ENFORCEMENT_DOCUMENT_PREFIX = os.environ.get("ZHENWU_ENFORCEMENT_DOCUMENT_PREFIX", "综执")  # 文书编号的机关代字
