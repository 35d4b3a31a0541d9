"""Settings shared by every environment, read from environment variables.

Every setting a council may change is listed in README.md ("Configuration").
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # src/earlyhelp
PROJECT_DIR = PACKAGE_DIR.parents[1]  # the checkout (editable installs)
VAR_DIR = Path(os.environ.get("EARLYHELP_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from error


DEBUG = env_bool("DEBUG", False)
# Demo mode lists the demo sign-ins on the sign-in page. Never on in production.
EARLYHELP_DEMO_MODE = env_bool("EARLYHELP_DEMO_MODE", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or EARLYHELP_DEMO_MODE or os.environ.get("EARLYHELP_ALLOW_INSECURE_KEY")):
        raise ImproperlyConfigured("Set SECRET_KEY (50 or more random characters).")
    SECRET_KEY = "insecure-development-key-only-for-demo-and-tests-never-production-use"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The council running the service, shown in the header and on documents.
EARLYHELP_LOCAL_AUTHORITY = os.environ.get("EARLYHELP_LOCAL_AUTHORITY", "Demo County Council")
EARLYHELP_SERVICE_NAME = os.environ.get("EARLYHELP_SERVICE_NAME", "Early Help")
EARLYHELP_PHASE = os.environ.get("EARLYHELP_PHASE", "Beta")
EARLYHELP_SUPPORT_EMAIL = os.environ.get("EARLYHELP_SUPPORT_EMAIL", "earlyhelp@example.gov.uk")
EARLYHELP_DEMO_PASSWORD = os.environ.get("EARLYHELP_DEMO_PASSWORD", "demo-password-2026")

INSTALLED_APPS = [
    "earlyhelp.web",
    "earlyhelp.accounts",
    "earlyhelp.calendar",
    "earlyhelp.people",
    "earlyhelp.alerts",
    "earlyhelp.frontdoor",
    "earlyhelp.episodes",
    "earlyhelp.sharing",
    "earlyhelp.recording",
    "earlyhelp.documents",
    "earlyhelp.audit",
    "earlyhelp.reporting",
    "earlyhelp.background",
    "earlyhelp.sso",
    "earlyhelp.messaging",
    "earlyhelp.api",
    "earlyhelp.directory",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",  # trigram search on PostgreSQL; harmless on SQLite
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "crispy_forms",
    "crispy_forms_gds",
    "formtools",
    "rules.apps.AutodiscoverRulesConfig",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "earlyhelp.web.idle_timeout.IdleTimeoutMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A page that is read asks the database once whether the user may see a family (people/middleware.py).
    "earlyhelp.people.middleware.FamilyAnswersKeptForReadsMiddleware",
    # Django's LoginRequiredMiddleware, keeping what a POST typed after the session ended.
    "earlyhelp.web.drafts.KeepTypedLoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "earlyhelp.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A service's refusal raised in a view: 409 with its plain message, with DEBUG on or off (web/refusals.py).
    "earlyhelp.web.refusals.RefusalMiddleware",
    # A page shown with its error summary (bad input, nothing saved) answers 422, not 200 (web/form_errors.py).
    "earlyhelp.web.form_errors.InvalidSubmissionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that it sees the outcome of the sign-in view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "earlyhelp.config.urls"
WSGI_APPLICATION = "earlyhelp.config.wsgi.application"

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
                "earlyhelp.web.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'earlyhelp.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while a seed or a test writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# PostgreSQL's JIT compilation costs more than it saves on the dashboard's counts (a team's dashboard
# at 200,000 families: 1.1 s with it, 0.9 s without; docs/performance.md). DATABASE_JIT=1 keeps it.
# Parallel query likewise: a need-to-know check over a search's few families, planned in parallel,
# waited 6 ms for its workers to start to do 1 ms of work, and the counts and Annex A were no faster
# with it (docs/performance.md). DATABASE_PARALLEL_WORKERS sets how many one query may use (0 by
# default). A pooler that refuses start-up options: set DATABASE_JIT=1 and DATABASE_PARALLEL_WORKERS=server
# and put jit = off and max_parallel_workers_per_gather = 0 in postgresql.conf instead.
_DATABASE_STARTUP_OPTIONS = [] if env_bool("DATABASE_JIT", False) else ["-c jit=off"]
if os.environ.get("DATABASE_PARALLEL_WORKERS", "") != "server":
    _DATABASE_STARTUP_OPTIONS.append(f"-c max_parallel_workers_per_gather={env_int('DATABASE_PARALLEL_WORKERS', 0)}")
_DATABASE_STARTUP_OPTIONS = {"options": " ".join(_DATABASE_STARTUP_OPTIONS)} if _DATABASE_STARTUP_OPTIONS else {}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(_DATABASE_STARTUP_OPTIONS)
# A streaming replica for reports, the dashboard and Annex A (config/routers.py); tests that use no
# replica of their own read it as the primary (TEST MIRROR).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True,
    )
    DATABASES["replica"].setdefault("OPTIONS", {}).update(_DATABASE_STARTUP_OPTIONS)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["earlyhelp.config.routers.ReplicaRouter"]

# The cache every worker and host shares: rate limits and one-time tokens count in it, so
# gunicorn's workers cannot each count on their own. The database's table (made by migrate) by
# default; Redis when EARLYHELP_CACHE_URL or REDIS_URL names one (redis://, rediss://, unix://).
CACHE_URL = os.environ.get("EARLYHELP_CACHE_URL") or os.environ.get("REDIS_URL", "")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"EARLYHELP_CACHE_URL must be a redis:// address, not {CACHE_URL!r}")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL,
                "KEY_PREFIX": "earlyhelp"}
    if CACHE_URL else
    {"BACKEND": "earlyhelp.config.cache.DatabaseCache", "LOCATION": "earlyhelp_cache"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out accounts before checking passwords
    "django.contrib.auth.backends.ModelBackend",
]
# Lock-out after repeated failed sign-ins (django-axes, counted in the database so every worker
# sees every attempt): a username after EARLYHELP_SIGN_IN_ATTEMPTS failures wherever they come
# from, and a client address (behind EARLYHELP_TRUSTED_PROXIES) after the larger
# EARLYHELP_ADDRESS_SIGN_IN_ATTEMPTS across all usernames, whatever user agent it sends: a
# council's staff often share one address (docs/security.md).
AXES_HANDLER = "earlyhelp.accounts.lockout.LockOutHandler"
AXES_FAILURE_LIMIT = env_int("EARLYHELP_SIGN_IN_ATTEMPTS", 5)
EARLYHELP_ADDRESS_SIGN_IN_ATTEMPTS = env_int("EARLYHELP_ADDRESS_SIGN_IN_ATTEMPTS", 20)
AXES_COOLOFF_TIME = env_int("EARLYHELP_LOCKOUT_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # the order LockOutHandler's limits follow
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "earlyhelp.accounts.client_ip.client_ip"
# How many reverse proxies in front of the service add to X-Forwarded-For (0 when none).
EARLYHELP_TRUSTED_PROXIES = env_int("EARLYHELP_TRUSTED_PROXIES", 0)

# Two-factor authentication (TOTP) for every role that can see a family; on by default
# outside demo mode.
EARLYHELP_REQUIRE_TWO_FACTOR = env_bool("EARLYHELP_REQUIRE_TWO_FACTOR", not EARLYHELP_DEMO_MODE)
OTP_TOTP_ISSUER = EARLYHELP_LOCAL_AUTHORITY + " Early Help"

LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "signed-out"

# The request body: a form's text (uploaded files not counted) and its number of fields. Larger is
# answered 400 (Django's RequestDataTooBig / TooManyFieldsSent, the 400 page), never a 500. Every
# text field is limited too (web/limits.py: 20,000 characters, a few pages of writing).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("EARLYHELP_MAX_FORM_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("EARLYHELP_MAX_FORM_FIELDS", 1000)

# Idle timeout: the session ends after this many minutes without a request. A request saves the
# session again only once a tenth of that (at most a minute) has passed: web/idle_timeout.py.
SESSION_COOKIE_AGE = env_int("EARLYHELP_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = False
# Pages warn this many seconds before the session ends, with "Stay signed in" (web/timeout.js).
EARLYHELP_SESSION_WARNING_SECONDS = env_int("EARLYHELP_SESSION_WARNING_SECONDS", 120)
# Drafts of long forms (web/drafts.py) are deleted this many days after they were last typed in.
EARLYHELP_DRAFT_DAYS = env_int("EARLYHELP_DRAFT_DAYS", 30)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "earlyhelp.web.views.csrf_failure"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, g:i a"
SHORT_DATE_FORMAT = "d/m/Y"

# Content Security Policy: nothing inline, nothing from elsewhere (django-csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# The GOV.UK Frontend stylesheet asks for /assets/...: WhiteNoise serves this folder at the root.
WHITENOISE_ROOT = PACKAGE_DIR / "web" / "public"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Documents (docs/documents.md): files uploaded to a family, a person or an episode. Never served from a
# URL of their own: only documents.views.document_download, which checks the access policy and records the
# download, reads them. A private folder by default; S3-compatible storage (django-storages, the `s3` extra)
# when EARLYHELP_DOCUMENTS_S3_BUCKET is set, credentials from the usual AWS_* variables or the instance's role.
EARLYHELP_DOCUMENTS_DIR = Path(os.environ.get("EARLYHELP_DOCUMENTS_DIR", VAR_DIR / "documents"))
EARLYHELP_DOCUMENTS_S3_BUCKET = os.environ.get("EARLYHELP_DOCUMENTS_S3_BUCKET", "")
if EARLYHELP_DOCUMENTS_S3_BUCKET:
    STORAGES["documents"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": EARLYHELP_DOCUMENTS_S3_BUCKET,
        "endpoint_url": os.environ.get("EARLYHELP_DOCUMENTS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("EARLYHELP_DOCUMENTS_S3_REGION") or None,
        "location": os.environ.get("EARLYHELP_DOCUMENTS_S3_PREFIX", "documents"),
        "default_acl": "private", "querystring_auth": True, "file_overwrite": False,
        "object_parameters": {"ServerSideEncryption": "AES256"},
    }}
else:
    STORAGES["documents"] = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {
        "location": str(EARLYHELP_DOCUMENTS_DIR), "base_url": "/no-public-url-for-documents/",
        "file_permissions_mode": 0o600, "directory_permissions_mode": 0o700,
    }}
# Files made in the background (docs/deploy.md, background/): Annex A, chronology PDFs, subject access packs.
# Private like documents: only background.views.background_file_download reads them. With several hosts the
# folder must be shared, or S3-compatible storage used (a prefix of the documents' bucket).
EARLYHELP_BACKGROUND_FILES_DIR = Path(os.environ.get("EARLYHELP_BACKGROUND_FILES_DIR", VAR_DIR / "background-files"))
if EARLYHELP_DOCUMENTS_S3_BUCKET:
    STORAGES["background_files"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        **STORAGES["documents"]["OPTIONS"], "location": os.environ.get("EARLYHELP_BACKGROUND_FILES_S3_PREFIX",
                                                                      "background-files"),
    }}
else:
    STORAGES["background_files"] = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {
        "location": str(EARLYHELP_BACKGROUND_FILES_DIR), "base_url": "/no-public-url-for-background-files/",
        "file_permissions_mode": 0o600, "directory_permissions_mode": 0o700,
    }}
# How long a finished file can be downloaded before it is deleted.
EARLYHELP_BACKGROUND_FILE_HOURS = env_int("EARLYHELP_BACKGROUND_FILE_HOURS", 24)
# Background tasks: django-tasks with its database backend by default (a worker is `earlyhelp db_worker`, on
# any host that reaches the database). EARLYHELP_TASKS_BACKEND names another backend class.
TASKS = {"default": {"BACKEND": os.environ.get("EARLYHELP_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# The largest document accepted. Larger files are refused with a message beside the file field: the first
# upload handler stops keeping a file once it passes the limit (documents/uploads.py).
EARLYHELP_DOCUMENT_MAX_BYTES = env_int("EARLYHELP_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "earlyhelp.documents.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Virus scanning: when set, every upload is sent to clamd (its Unix socket, or tcp://host:port) before it is
# stored, and refused if clamd finds a virus or cannot be reached (docs/deploy.md).
CLAMD_SOCKET = os.environ.get("CLAMD_SOCKET", "")
CLAMD_TIMEOUT = env_int("CLAMD_TIMEOUT", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

AUDITLOG_INCLUDE_ALL_MODELS = False

# Per-authority settings for the front door (DOMAIN: seeds' values as defaults).
EARLYHELP_TRIAGE_WORKING_DAYS = env_int("EARLYHELP_TRIAGE_WORKING_DAYS", 1)
# The public self-referral form: requests accepted per client address per hour, and the fewest
# seconds a person takes to fill it in (faster is a machine).
EARLYHELP_SELF_REFERRAL_LIMIT_PER_HOUR = env_int("EARLYHELP_SELF_REFERRAL_LIMIT_PER_HOUR", 5)
EARLYHELP_SELF_REFERRAL_MIN_SECONDS = env_int("EARLYHELP_SELF_REFERRAL_MIN_SECONDS", 3)
# Where a concern of significant harm goes by phone (DOMAIN §3: Derby calls it the Initial Response Team).
EARLYHELP_CSC_NAME = os.environ.get("EARLYHELP_CSC_NAME", "Children's Social Care front door")
EARLYHELP_CSC_PHONE = os.environ.get("EARLYHELP_CSC_PHONE", "01632 960000")

# Forms render as GOV.UK Design System components (crispy-forms-gds).
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Break-glass: how long access to a family outside the user's network lasts.
EARLYHELP_BREAK_GLASS_MINUTES = env_int("EARLYHELP_BREAK_GLASS_MINUTES", 60)

# Per-authority settings for the episode (DOMAIN §5, §7; the Derby procedure's values as defaults).
EARLYHELP_ASSESSMENT_WORKING_DAYS = env_int("EARLYHELP_ASSESSMENT_WORKING_DAYS", 10)
EARLYHELP_ASSESSMENT_SIGN_OFF = env_bool("EARLYHELP_ASSESSMENT_SIGN_OFF", False)
EARLYHELP_REVIEW_WEEKS = env_int("EARLYHELP_REVIEW_WEEKS", 6)
EARLYHELP_REVIEW_MAX_WEEKS = env_int("EARLYHELP_REVIEW_MAX_WEEKS", 12)
# Management oversight of an episode: when the next is due if the manager does not say
# (DOMAIN is silent; docs/case-recording.md).
EARLYHELP_OVERSIGHT_WEEKS = env_int("EARLYHELP_OVERSIGHT_WEEKS", 4)

# Retention: years after an episode closes before the family's records are anonymised.
EARLYHELP_RETENTION_YEARS = env_int("EARLYHELP_RETENTION_YEARS", 6)

# --- Single sign-on through the council's OpenID Connect provider (earlyhelp/sso, docs/single-sign-on.md) ---
# Off unless the issuer and client id are set: the sign-in page then shows only the username and password.
# The provider's endpoints come from its discovery document (issuer + /.well-known/openid-configuration).
EARLYHELP_OIDC_ISSUER = os.environ.get("EARLYHELP_OIDC_ISSUER", "").rstrip("/")
OIDC_RP_CLIENT_ID = os.environ.get("EARLYHELP_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("EARLYHELP_OIDC_CLIENT_SECRET", "")
OIDC_RP_SCOPES = os.environ.get("EARLYHELP_OIDC_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = os.environ.get("EARLYHELP_OIDC_SIGN_ALGO", "RS256")
# The claim that carries the user's groups (Entra ID: "groups", or "roles" for app roles).
EARLYHELP_OIDC_GROUPS_CLAIM = os.environ.get("EARLYHELP_OIDC_GROUPS_CLAIM", "groups")
EARLYHELP_OIDC_BUTTON_LABEL = os.environ.get("EARLYHELP_OIDC_BUTTON_LABEL", "Sign in with your council account")
EARLYHELP_OIDC_DISCOVERY_SECONDS = env_int("EARLYHELP_OIDC_DISCOVERY_SECONDS", 3600)
OIDC_TIMEOUT = env_int("EARLYHELP_OIDC_TIMEOUT_SECONDS", 10)
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # the hint the provider's end_session_endpoint asks for at sign-out
OIDC_AUTHENTICATION_CALLBACK_URL = "sso-callback"
AUTHENTICATION_BACKENDS += ["earlyhelp.sso.backend.ProviderBackend"]
EARLYHELP_PROVIDER_SIGN_OUT = "earlyhelp.sso.sign_out.provider_sign_out_url"

# --- Messages outside the service: GOV.UK Notify or SMTP (earlyhelp/messaging, docs/messages.md) ---
# "notify" (GOV.UK Notify: e-mail and text messages) or "smtp" (e-mail only, through EMAIL_HOST below).
EARLYHELP_NOTIFY_API_KEY = os.environ.get("EARLYHELP_NOTIFY_API_KEY", "")
EARLYHELP_MESSAGES_TRANSPORT = os.environ.get("EARLYHELP_MESSAGES_TRANSPORT",
                                              "notify" if EARLYHELP_NOTIFY_API_KEY else "smtp")
if EARLYHELP_MESSAGES_TRANSPORT not in ("notify", "smtp"):
    raise ImproperlyConfigured("EARLYHELP_MESSAGES_TRANSPORT is notify or smtp")
EARLYHELP_NOTIFY_BASE_URL = os.environ.get("EARLYHELP_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
# Notify template ids, one per kind of message (and KIND_sms for a text): EARLYHELP_NOTIFY_TEMPLATE_<KIND>.
EARLYHELP_NOTIFY_TEMPLATES = {
    name[len("EARLYHELP_NOTIFY_TEMPLATE_"):].lower(): value
    for name, value in os.environ.items() if name.startswith("EARLYHELP_NOTIFY_TEMPLATE_") and value
}
# SMTP: Django's own settings.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", EARLYHELP_SUPPORT_EMAIL)
# The domain of each e-mail's Message-ID (kept as its reference) and of calendar invitations' ids.
EARLYHELP_MESSAGES_MESSAGE_ID_DOMAIN = os.environ.get("EARLYHELP_MESSAGES_MESSAGE_ID_DOMAIN", "earlyhelp.invalid")
# The service's address, which every message links to.
EARLYHELP_MESSAGES_SERVICE_URL = os.environ.get("EARLYHELP_MESSAGES_SERVICE_URL", "http://127.0.0.1:8000")
# Shared mailboxes told of every concern of significant harm.
EARLYHELP_MESSAGES_FRONT_DOOR_EMAIL = os.environ.get("EARLYHELP_MESSAGES_FRONT_DOOR_EMAIL", "")
EARLYHELP_MESSAGES_SOCIAL_CARE_EMAIL = os.environ.get("EARLYHELP_MESSAGES_SOCIAL_CARE_EMAIL", "")
# Sending: seconds to wait for the server; attempts before giving up; the first retry's wait (doubled each time).
EARLYHELP_MESSAGES_TIMEOUT = env_int("EARLYHELP_MESSAGES_TIMEOUT", 30)
EARLYHELP_MESSAGES_MAX_ATTEMPTS = env_int("EARLYHELP_MESSAGES_MAX_ATTEMPTS", 6)
EARLYHELP_MESSAGES_RETRY_SECONDS = env_int("EARLYHELP_MESSAGES_RETRY_SECONDS", 60)
# Notify: how long after sending, and how often, the delivery status is read back.
EARLYHELP_MESSAGES_STATUS_CHECK_SECONDS = env_int("EARLYHELP_MESSAGES_STATUS_CHECK_SECONDS", 300)
EARLYHELP_MESSAGES_STATUS_CHECKS = env_int("EARLYHELP_MESSAGES_STATUS_CHECKS", 12)
# Reminders: of what is due within this many days; the repeating task runs every so many hours.
EARLYHELP_MESSAGES_DUE_DAYS = env_int("EARLYHELP_MESSAGES_DUE_DAYS", 2)
EARLYHELP_MESSAGES_DUE_HOURS = env_int("EARLYHELP_MESSAGES_DUE_HOURS", 24)
# A family's acknowledgement goes on working days between these hours ("9-17"), never at night.
EARLYHELP_MESSAGES_FAMILY_HOURS = tuple(int(hour) for hour in
                                        os.environ.get("EARLYHELP_MESSAGES_FAMILY_HOURS", "9-17").split("-", 1))


# --- The REST API under /api/v1/ (earlyhelp/api, docs/api.md) ---

INSTALLED_APPS += ["rest_framework", "drf_spectacular"]
# Lists: records on a page, unless the client asks for up to 100 with ?page_size=.
EARLYHELP_API_PAGE_SIZE = env_int("EARLYHELP_API_PAGE_SIZE", 25)
# A token lasts this many days from when it is made (0: until revoked); a user holds at most this many.
EARLYHELP_API_TOKEN_DAYS = env_int("EARLYHELP_API_TOKEN_DAYS", 365)
EARLYHELP_API_TOKENS_PER_USER = env_int("EARLYHELP_API_TOKENS_PER_USER", 5)
# Requests allowed per user (any of their tokens), and per client address without a token: "N/second",
# "N/minute", "N/hour" or "N/day".
EARLYHELP_API_USER_RATE = os.environ.get("EARLYHELP_API_USER_RATE", "600/minute")
EARLYHELP_API_ANON_RATE = os.environ.get("EARLYHELP_API_ANON_RATE", "60/minute")
REST_FRAMEWORK = {
    # Tokens only: a browser's session on the pages is not a way into the API.
    "DEFAULT_AUTHENTICATION_CLASSES": ["earlyhelp.api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "earlyhelp.api.views.handle_exception",
    # Counted in Django's cache, which every worker and host shares (CACHES above).
    "DEFAULT_THROTTLE_CLASSES": ["earlyhelp.api.throttles.AnonymousThrottle",
                                 "earlyhelp.api.throttles.TokenUserThrottle"],
    # How many proxies (load balancers) stand before the service: the client's address for the
    # anonymous limit is read from X-Forwarded-For past them. Unset: the connection's address.
    "NUM_PROXIES": env_int("EARLYHELP_API_NUM_PROXIES", 0) if os.environ.get("EARLYHELP_API_NUM_PROXIES") else None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "earlyhelp API",
    "DESCRIPTION": "Families, people, requests for support, episodes, plans and case notes, as the token's user "
                   "may see them (docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"AnnexAGenderEnum": "earlyhelp.standards.AnnexAGender"},
    "PATH_CONVERTER_OVERRIDES": {"record_id": {"type": "integer", "minimum": 0, "maximum": 10**18 - 1}},
}


# --- The directory of services and its Open Referral UK feed (earlyhelp/directory, docs/directory.md) ---
# Open Referral UK feeds read into the directory, space-separated base URLs (each serving /services...);
# `earlyhelp directory_import` with no URL, and the daily task, read each (docs/directory.md).
EARLYHELP_DIRECTORY_FEEDS = os.environ.get("EARLYHELP_DIRECTORY_FEEDS", "").split()
# Seconds to wait for each answer from a feed.
EARLYHELP_DIRECTORY_TIMEOUT = env_int("EARLYHELP_DIRECTORY_TIMEOUT", 30)
# Hours between scheduled imports once `earlyhelp directory_import --schedule` has queued the first.
EARLYHELP_DIRECTORY_IMPORT_HOURS = env_int("EARLYHELP_DIRECTORY_IMPORT_HOURS", 24)
# How often the background worker works out the dashboard's first figures again (reporting/summaries.py).
EARLYHELP_DASHBOARD_SUMMARY_MINUTES = env_int("EARLYHELP_DASHBOARD_SUMMARY_MINUTES", 10)
