"""Django settings for Xiaoqu: everything that differs between machines comes from the environment."""

from __future__ import annotations

import contextlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
DATA_DIR = Path(os.environ.get("XIAOQU_DATA_DIR", PROJECT_DIR / "data"))
if os.environ.get("PYTEST_XDIST_WORKER"):
    # Parallel test workers each keep their files (test database, models, uploads) apart.
    DATA_DIR = DATA_DIR / f"test-{os.environ['PYTEST_XDIST_WORKER']}"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("XIAOQU_DEBUG", False)
SECRET_KEY = os.environ.get(
    "XIAOQU_SECRET_KEY",
    # Only for the embedded demo; production sets XIAOQU_SECRET_KEY (see README).
    "insecure-demo-key-change-me-7d1c9a0f5b2e4c8a9f3d6b1e0a7c5d2f",
)
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("XIAOQU_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("XIAOQU_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "axes",
    "ninja",
    "xiaoqu.core",
    "xiaoqu.accounts",
    "xiaoqu.regions",
    "xiaoqu.departments",
    "xiaoqu.law",
    "xiaoqu.estates",
    "xiaoqu.audit",
    "xiaoqu.intake",
    "xiaoqu.referrals",
    "xiaoqu.supervision",
    "xiaoqu.cases",
    "xiaoqu.triage",
    "xiaoqu.credit",
    "xiaoqu.documents",
    "xiaoqu.patrols",
    "xiaoqu.studios",
    "xiaoqu.renovations",
    "xiaoqu.analytics",
    "xiaoqu.oversight",
    "xiaoqu.assessment",
    "xiaoqu.meetings",
    "xiaoqu.clinics",
    "xiaoqu.outreach",
    "xiaoqu.exemplary",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "xiaoqu.core.middleware.DefaultChineseLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "xiaoqu.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xiaoqu.urls"
WSGI_APPLICATION = "xiaoqu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xiaoqu.core.context_processors.platform",
                "xiaoqu.audit.context_processors.notifications",
            ],
        },
    },
]

# Databases: SQLite (WAL) embedded by default, PostgreSQL through DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("XIAOQU_SQLITE_PATH", str(DATA_DIR / "xiaoqu.sqlite3")),
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Tests run on a file too (not in memory), so that threads such as the web
            # import's see the same WAL database with the same locking as in production.
            "TEST": {"NAME": str(DATA_DIR / "test-xiaoqu.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "xiaoqu.accounts.validators.CharacterClassValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions expire after a period of inactivity and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("XIAOQU_SESSION_SECONDS", 30 * 60))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("XIAOQU_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Lockout after repeated failed logins (django-axes); every attempt is recorded.
AXES_FAILURE_LIMIT = int(os.environ.get("XIAOQU_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("XIAOQU_LOCKOUT_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("XIAOQU_STATIC_ROOT", PROJECT_DIR / "staticfiles"))
# Static files are served from the apps' folders (WHITENOISE_USE_FINDERS); collectstatic is
# optional, but WhiteNoise expects the folder to exist.
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("XIAOQU_MEDIA_ROOT", DATA_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# Filters: the empty choice of a select means "all".
FILTERS_EMPTY_CHOICE_LABEL = _("All")
DJANGO_TABLES2_TEMPLATE = "core/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {
    "class": "table table-sm table-hover table-striped align-middle mb-0",
    "tbody": {"hx-boost": "false"},
}

# Attachments (photos and files of the events): on disk, checked for type and size.
XIAOQU_ATTACHMENT_ROOT = Path(os.environ.get("XIAOQU_ATTACHMENT_ROOT", DATA_DIR / "attachments"))
XIAOQU_ATTACHMENT_MAX_BYTES = int(os.environ.get("XIAOQU_ATTACHMENT_MAX_MB", 20)) * 1024 * 1024

# The bureau's abbreviation on its documents: 普城管罚字〔2026〕第0001号.
XIAOQU_DOCUMENT_PREFIX = os.environ.get("XIAOQU_DOCUMENT_PREFIX", "普城管")

# The district this installation serves by default (imports without a district column).
XIAOQU_DEFAULT_DISTRICT = os.environ.get("XIAOQU_DEFAULT_DISTRICT", "310107")
# Web imports run in a background thread so that the page can show progress.
XIAOQU_IMPORTS_IN_THREAD = env_bool("XIAOQU_IMPORTS_IN_THREAD", True)
# Reference data beside the project (../shared/data); tests skip when it is absent.
XIAOQU_SHARED_DATA = Path(
    os.environ.get("XIAOQU_SHARED_DATA", PROJECT_DIR.parent / "shared" / "data")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("XIAOQU_LOG_LEVEL", "WARNING")},
}

# Lockout is per account (AXES_LOCKOUT_PARAMETERS): offices share one address behind NAT, so an
# address-wide lockout would lock out colleagues. Rate limiting by address belongs to the proxy.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
FORMAT_MODULE_PATH = ["xiaoqu.formats"]
