"""Django settings, read from the environment (see README "Configuration")."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
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
SECRET_KEY = os.environ.get("SECRET_KEY") or "zhenwu-insecure-development-key-set-SECRET_KEY-in-production"
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "zhenwu.areas",
    "zhenwu.accounts",
    "zhenwu.casework",
    "zhenwu.registry",
    "zhenwu.services",
    "zhenwu.web",
    "zhenwu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
            ],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES: dict[str, dict[str, object]] = {
        "default": dict(dj_database_url.parse(DATABASE_URL, conn_max_age=60))}
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
SESSION_COOKIE_SECURE = env_bool("ZHENWU_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

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

# Registry imports: size and row limits; files above INLINE_ROWS rows run in the background.
REGISTRY_IMPORT_MAX_BYTES = env_int("ZHENWU_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
REGISTRY_IMPORT_MAX_ROWS = env_int("ZHENWU_IMPORT_MAX_ROWS", 200_000)
REGISTRY_IMPORT_INLINE_ROWS = env_int("ZHENWU_IMPORT_INLINE_ROWS", 2000)
# Without a Celery broker, background imports run in a thread of the web process so progress shows.
REGISTRY_IMPORT_THREADS = env_bool("ZHENWU_IMPORT_THREADS", True)

# Background work: Celery + Redis when configured, eager in-process otherwise.
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("CELERY_BROKER_URL")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "memory://"  # eager mode never uses it
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "tick": {"task": "zhenwu.casework.tasks.tick", "schedule": env_int("ZHENWU_TICK_SECONDS", 60)},
}

# Notifications.
SMS_BACKEND = os.environ.get("ZHENWU_SMS_BACKEND", "console")  # console | log
NOTIFY_MAX_ATTEMPTS = env_int("ZHENWU_NOTIFY_MAX_ATTEMPTS", 8)
NOTIFY_BACKOFF_SECONDS = env_int("ZHENWU_NOTIFY_BACKOFF_SECONDS", 30)
NOTIFY_LEASE_SECONDS = env_int("ZHENWU_NOTIFY_LEASE_SECONDS", 120)
WEBHOOK_TIMEOUT_SECONDS = env_float("ZHENWU_WEBHOOK_TIMEOUT_SECONDS", 5.0)

# Geometry.
AREA_CONTAINMENT_TOLERANCE_M = env_float("ZHENWU_AREA_CONTAINMENT_TOLERANCE_M", 5.0)
MAP_TILE_URL = os.environ.get("ZHENWU_MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("ZHENWU_MAP_TILE_ATTRIBUTION", "")

# How long a process keeps admin-edited workflow definitions before reading them again.
PROCESS_CACHE_SECONDS = env_float("ZHENWU_PROCESS_CACHE_SECONDS", 5.0)

# Deadlines: yellow when at most this share of the limit, or at most one working day, is left.
DEADLINE_YELLOW_SHARE = env_float("ZHENWU_DEADLINE_YELLOW_SHARE", 0.2)

# 一窗受理: 差评整改 deadlines (working days) and public tracking attempts per case number.
SERVICES_RECTIFY_VERIFY_DAYS = env_int("ZHENWU_SERVICES_RECTIFY_VERIFY_DAYS", 1)
SERVICES_RECTIFY_DAYS = env_int("ZHENWU_SERVICES_RECTIFY_DAYS", 15)
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
# 电子监察: automatic 催办 (one SMS to the handler, else the accepting clerk) when a case turns yellow / red.
SERVICES_URGE_YELLOW = env_bool("ZHENWU_SERVICES_URGE_YELLOW", True)
SERVICES_URGE_RED = env_bool("ZHENWU_SERVICES_URGE_RED", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
