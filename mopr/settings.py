"""Settings of mopr, read from the environment.

Every value that differs between a developer's machine and production comes from an
environment variable listed in README.md ("Konfiguracja"). The helpers below fail loudly:
a malformed value stops the process at start instead of running with a surprise.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None


def env_str(name: str, default: str | None = None) -> str | None:
    raw = os.environ.get(name)
    return default if raw is None or raw == "" else raw


def env_list(name: str, default: str = "") -> list[str]:
    raw = env_str(name, default) or ""
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # FORM_RENDERER below finds Django's own widget templates through it
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "mopr",
    "cases",
    "contracts",
    "assistants",
    "registers",
    "refusals",
    "meetings",
    "timesheets",
    "staffing",
    "inbox",
    "imports",
    "background",
    "streets",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: it says why the session ended; then the second factor, then the page.
    "mopr.middleware.SessionLimitsMiddleware",
    "mopr.middleware.SecondFactorMiddleware",
    # A form sent after the session expired is offered back after the login; a form saves once.
    "mopr.drafts.DraftMiddleware",
    "mopr.drafts.FormKeyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "mopr.middleware.NoStoreMiddleware",
    # Every page that shows a case or a person writes its access-log row (mopr/access.py).
    "mopr.access.AccessLogMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mopr.urls"
WSGI_APPLICATION = "mopr.wsgi.application"

# Every field drawn the same way: the number pad for PESEL, postal code and phone, a Polish prompt
# instead of Django's "---------" (mopr/widgets.py).
FORM_RENDERER = "mopr.widgets.FormRenderer"
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
                "mopr.context_processors.organisation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# Embedded default: SQLite in the project folder, so `make run` works anywhere.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        # A connection the server dropped while idle is replaced before the request uses it,
        # instead of failing the request (issue 16.10).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The planner's JIT costs the register's queries more than it saves; set per connection,
    # so a database restored from a backup (which loses ALTER DATABASE settings) keeps it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so a read-check-write in a
    # service (e.g. two coordinators assigning one report) is serialised as on PostgreSQL.
    # WAL lets readers go on while one writer holds the lock (every page writes its access-log
    # row); a writer waits up to ``timeout`` seconds, then the page says "try again" (503).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not the shared in-memory database: shared-cache SQLite fails concurrent writers
    # at once instead of waiting, so the concurrency tests would test the wrong thing.
    # One file per test process, so two runs in one checkout never share (and destroy) it.
    _test_db = Path(tempfile.gettempdir()) / f"mopr-test-{os.getpid()}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": env_str("SQLITE_TEST_NAME", str(_test_db))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "mopr.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before the password is even checked (django-axes).
    "mopr.auth.ThrottledBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Common passwords dressed up (Haslo123!, Q1w2e3r4t5y6, Toruń2026!) are refused too.
    {"NAME": "mopr.auth.GuessablePasswordValidator"},
]

# --- Login throttling (django-axes) and the second factor (django-otp) -----------------------
# After AXES_FAILURE_LIMIT failed logins of one user name from one address, that name is locked
# for that address only (someone elsewhere cannot lock a user out) for AXES_COOLOFF_MINUTES; each
# further lockout of the pair within a day doubles it, up to AXES_COOLOFF_MAX_HOURS
# (mopr.auth.axes_cool_off). The director releases a lock in the application ("Blokady logowania").
# AXES_COOLOFF_MINUTES=0: a lock lasts until released.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_MINUTES = env_int("AXES_COOLOFF_MINUTES", 15)
AXES_COOLOFF_MAX_HOURS = env_int("AXES_COOLOFF_MAX_HOURS", 24)
if AXES_FAILURE_LIMIT < 1 or AXES_COOLOFF_MINUTES < 0 or AXES_COOLOFF_MAX_HOURS < 1:
    raise ImproperlyConfigured("AXES_FAILURE_LIMIT and AXES_COOLOFF_MAX_HOURS must be ≥ 1, AXES_COOLOFF_MINUTES ≥ 0")
if os.environ.get("AXES_COOLOFF_HOURS"):
    raise ImproperlyConfigured("AXES_COOLOFF_HOURS was replaced by AXES_COOLOFF_MINUTES (see README, Security)")
AXES_COOLOFF_TIME = "mopr.auth.axes_cool_off" if AXES_COOLOFF_MINUTES else None
# Each attempt keeps its own expiry, so that one pair's longer lock is not cut short when another
# pair's attempts are cleaned up. A lock that never expires has none (axes raises on computing one).
AXES_USE_ATTEMPT_EXPIRATION = bool(AXES_COOLOFF_TIME)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The page says when this lock ends, or that it does not end by itself (mopr.auth.lockout_response).
AXES_LOCKOUT_CALLABLE = "mopr.auth.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The user name as axes records it, cut to a user name's length (Django's login form does not check it).
AXES_USERNAME_CALLABLE = "mopr.auth.axes_username"

# --- The client's address (login throttle, access log) --------------------------------------
# TRUSTED_PROXY_COUNT: how many reverse proxies stand in front of the application. Each passes the
# address it got the request from in X-Forwarded-For, the last one is REMOTE_ADDR; the header must
# then hold exactly that many addresses (nginx in front: `proxy_set_header X-Forwarded-For
# $remote_addr;`, which also drops whatever the client sent). A header of any other length is
# not believed and the proxy's own address is used (django-ipware, read through django-axes).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more")
if os.environ.get("USE_X_FORWARDED_FOR"):
    raise ImproperlyConfigured(
        "USE_X_FORWARDED_FOR was replaced by TRUSTED_PROXY_COUNT, the number of reverse proxies in front (usually 1)"
    )
AXES_IPWARE_PROXY_ORDER = "left-most"
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1 if TRUSTED_PROXY_COUNT else None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if TRUSTED_PROXY_COUNT else ["REMOTE_ADDR"]
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "mopr")
PASSWORD_HASHERS = env_list(
    "PASSWORD_HASHERS",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
)

# --- Language and time ------------------------------------------------------------------
LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", "Polski")]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["mopr.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and uploaded files ------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Content-hashed names (css/app.3f2a….css, issue 20.4): WhiteNoise sends them with "max-age=315360000, public,
# immutable"; the unhashed names (still served, for a page cached before a release) keep 60 s. Pages need
# the manifest of `manage.py collectstatic` whenever DEBUG is false: `make static` (run, test, demo, bench do
# it), and the root conftest.py for a plain pytest. The print fonts (TTF, read from disk by WeasyPrint) are
# not compressed: brotli took 16 of collectstatic's 24 s on them.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "ttf")
# With DEBUG (a developer's runserver) straight from static/, so an edit shows at once; else the collected files.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", DEBUG)
# Uploaded scans live outside the web root and are served only through a view that asks
# the access policy; there is deliberately no MEDIA_URL route.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "uploads")))
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 20)

# Long work in the background (issue 18.5): django-tasks, the API Django adopted. "database" (the
# default: nothing more to run than `manage.py db_worker`, which `make run` starts) or "rq" (Redis at
# REDIS_URL, workers: `manage.py rqworker --job-class django_tasks_rq.backend.Job default`).
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
RQ_QUEUES = {"default": {"URL": env_str("REDIS_URL", "redis://127.0.0.1:6379/0"), "DEFAULT_TIMEOUT": 3600}}
# An export of more rows than this, and statistics over more days than this, go to the background.
EXPORT_IMMEDIATE_MAX_ROWS = env_int("EXPORT_IMMEDIATE_MAX_ROWS", 5000)
STATISTICS_IMMEDIATE_MAX_DAYS = env_int("STATISTICS_IMMEDIATE_MAX_DAYS", 92)
# A file made in the background is removed this many hours after it is ready (`manage.py jobs_expire`).
JOB_FILE_HOURS = env_int("JOB_FILE_HOURS", 24)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security -----------------------------------------------------------------------------
# Secure by default; a deployment without TLS in front must say so explicitly.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
# The header only offers preloading; nothing is submitted to the browsers' list by it.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# The cookie's own limit; the institution's idle time and absolute lifetime are enforced per
# request by mopr.middleware.SessionLimitsMiddleware.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "mopr.errors_views.csrf_failure"

# Content-Security-Policy (django-csp): everything from this server, nothing inline: no <script> code,
# <style> block, style="" attribute, on…="" handler or javascript: URL in a page (scripts and styles are files
# under static/). mopr/tests/test_headers.py scans the templates and the rendered pages for them, and every
# browser test fails on a violation the browser reports.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# --- Forms, messages, logging ---------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "mopr@localhost")
# SMTP for the daily digest of notifications (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend).
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# The address the links of the e-mail digest start with (the intranet address of the application).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")

ADMINS = [("Administrator", a) for a in env_list("ADMINS")]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint narrates every render at INFO; only its warnings matter here.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes reports every successful login at INFO; the access log has them already.
        "axes": {"level": "WARNING"},
    },
}

# Seconds one PDF may take to render before it is stopped (mopr/pdf.py).
PDF_RENDER_TIMEOUT = env_int("PDF_RENDER_TIMEOUT", 30)
# Renders one user may have under way at once; a further one is refused with a message (429).
PDF_RENDERS_PER_USER = env_int("PDF_RENDERS_PER_USER", 2)

# Minutes a form sent after the session expired is kept for its author to send again.
FORM_DRAFT_MINUTES = env_int("FORM_DRAFT_MINUTES", 120)

# Pages a list shows at once.
PAGE_SIZE = env_int("PAGE_SIZE", 25)
# Intake look-ups of persons (by a whole PESEL or a full name) a user may make in an hour.
INTAKE_LOOKUPS_PER_HOUR = env_int("INTAKE_LOOKUPS_PER_HOUR", 60)
