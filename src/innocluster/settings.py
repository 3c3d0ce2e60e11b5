"""The one settings module: every deployment difference comes from the environment.

Production is simply ``DEBUG`` off plus an ``https://`` ``INNOCLUSTER_BASE_URL``: the public URL
decides whether cookies are secure and HTTPS is enforced, so a local demo on http works and a real
deployment cannot forget to switch the protections on.
"""

import os
import secrets
import time
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
# The checkout (or the directory the operator chooses) holds var/: the SQLite file, uploads, keys.
BASE_DIR = Path(env("INNOCLUSTER_HOME", str(PACKAGE_DIR.parent.parent))).resolve()
VAR_DIR = Path(env("INNOCLUSTER_VAR_DIR", str(BASE_DIR / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)

DEBUG = env_bool("DEBUG", False)


def _secret_from_file(name: str) -> str:
    """A random secret kept in var/ so that a fresh machine works without configuration."""
    path = VAR_DIR / name
    try:  # O_EXCL: when several processes start on a fresh var/, exactly one writes the secret
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        for _ in range(50):
            text = path.read_text().strip()
            if text:
                return text
            time.sleep(0.1)
        raise RuntimeError(f"{name} in the var directory is empty") from None
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY") or _secret_from_file("secret_key")

INNOCLUSTER_BASE_URL = env("INNOCLUSTER_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
_base = urlsplit(INNOCLUSTER_BASE_URL)
HTTPS = _base.scheme == "https"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", f"{_base.hostname},localhost,127.0.0.1,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", f"{_base.scheme}://{_base.netloc}")

# Key that seals the audit chain. It must not live in the database it protects.
INNOCLUSTER_AUDIT_KEY = env("INNOCLUSTER_AUDIT_KEY")
INNOCLUSTER_AUDIT_KEY_EXPLICIT = bool(INNOCLUSTER_AUDIT_KEY)
if not INNOCLUSTER_AUDIT_KEY:
    INNOCLUSTER_AUDIT_KEY = _secret_from_file("audit_key")
# A checkpoint is written after this many sealed audit events (and on every `innocluster tick`).
INNOCLUSTER_AUDIT_CHECKPOINT_EVERY = int(env("INNOCLUSTER_AUDIT_CHECKPOINT_EVERY", "100"))

INSTALLED_APPS = [
    "innocluster.core.access.adminconfig.InnoclusterAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "innocluster.core",
    "innocluster.core.audit",
    "innocluster.core.policy",
    "innocluster.core.access",
    "innocluster.core.decisions",
    "innocluster.core.notifications",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "innocluster.core.accounts",  # after allauth: its admin replaces allauth's Authenticator admin
    "django_tasks_db",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "innocluster.apikit",
    "innocluster.parties",
    "innocluster.registry",
    "innocluster.finance",
    "innocluster.levy",
    "innocluster.grants",
    "innocluster.workforce",
    "innocluster.governance",
    "innocluster.site",
    "innocluster.api",
    "innocluster.seed",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Under /api/ every error is the API's JSON error body, never an HTML page.
    "innocluster.apikit.errors.JsonErrorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "innocluster.core.accounts.middleware.RequireTwoFactorMiddleware",
    "innocluster.core.access.views.AccessMiddleware",
    "innocluster.core.middleware.DomainErrorMiddleware",
    "innocluster.core.middleware.PrivateNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "innocluster.urls"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
WSGI_APPLICATION = "innocluster.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "innocluster.core.access.context.navigation",
            ],
        },
    },
]

# --- database -----------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'innocluster.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(env("CONN_MAX_AGE", "0")))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE + a busy timeout let the web server, the worker and the CLI share the file.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        " PRAGMA cache_size=-32768; PRAGMA mmap_size=268435456;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache: shared across processes, so throttling holds for every worker -----------------------
CACHE_URL = env("CACHE_URL")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "innocluster_cache",
        }
    }

# --- accounts (django-allauth) and two-factor authentication --------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "innocluster.core.access.backends.RolePermissionBackend",
]
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_SIGNUP_FORM_CLASS = "innocluster.core.accounts.forms.SignupDetailsForm"
ACCOUNT_ADAPTER = "innocluster.core.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Failed logins are counted in the shared cache (database by default), so the limit holds across
# every web process.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "innocluster.core.accounts.mfa_adapter.MFAAdapter"
# Second-factor secrets are encrypted with this key (kept out of the database, like the audit key).
INNOCLUSTER_MFA_KEY_EXPLICIT = bool(env("INNOCLUSTER_MFA_KEY"))
INNOCLUSTER_MFA_KEY = env("INNOCLUSTER_MFA_KEY") or _secret_from_file("mfa_key")
# People hear by e-mail when their password, e-mail or second factor changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# No "[127.0.0.1:8000]" before the subject: our mail templates (core/templates/account/email/,
# core/templates/mfa/email/) name the Fund in the signature.
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
MFA_TOTP_ISSUER = "innocluster"
MFA_RECOVERY_CODE_COUNT = 10
# Demo only: allauth refuses this setting when DEBUG is off.
if DEBUG and env("INNOCLUSTER_DEMO_BYPASS_CODE"):
    MFA_TOTP_INSECURE_BYPASS_CODE = env("INNOCLUSTER_DEMO_BYPASS_CODE")

# --- background tasks ---------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
INNOCLUSTER_TASK_STUCK_AFTER_MINUTES = int(env("INNOCLUSTER_TASK_STUCK_AFTER_MINUTES", "30"))

# --- REST API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "innocluster.apikit.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["innocluster.apikit.permissions.CanPermission"],
    "DEFAULT_SCHEMA_CLASS": "innocluster.apikit.schema.ApiAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "innocluster.apikit.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "innocluster.apikit.errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "innocluster API",
    "DESCRIPTION": "REST API of the autonomous cluster fund's innovation-cluster system.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Request bodies get their own components, so they say what a request must hold (non-blank
    # strings, no read-only fields) apart from what an answer holds.
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that several fields share get one name each in the schema.
    "ENUM_NAME_OVERRIDES": {
        "FundSourceEnum": "innocluster.finance.models.accounts.FundSource",
        "StatementLineStatusEnum": "innocluster.finance.models.banking.StatementLine.Status",
        "ParticipantStatusEnum": "innocluster.registry.models.Participant.Status",
        "ProjectApplicationStatusEnum": "innocluster.grants.models_applications.ApplicationStatus",
        "AwardStatusEnum": "innocluster.grants.models_awards.AwardStatus",
        "LegalSourceEnum": [("law", "law"), ("src", "official source"), ("design", "design decision")],
    },
}
INNOCLUSTER_API_TOKEN_MODEL = "api.APIToken"  # noqa: S105 - a model label, not a secret
INNOCLUSTER_API_TOKEN_DAYS = int(env("INNOCLUSTER_API_TOKEN_DAYS", "30"))

# --- passwords ----------------------------------------------------------------------------------
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

# --- languages and time -------------------------------------------------------------------------
LANGUAGE_CODE = env("LANGUAGE_CODE", "kk")
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
# Ours first, then Kazakh for what Django and allauth leave untranslated (locale_vendor/README).
LOCALE_PATHS = [PACKAGE_DIR / "locale", PACKAGE_DIR / "locale_vendor"]
FORMAT_MODULE_PATH = ["innocluster.formats"]
LANGUAGE_COOKIE_NAME = "innocluster_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Asia/Almaty"
# After every migrate, insert the shipped calendar corrections (core/data/calendar_overrides.yaml)
# whose dates have no row yet; an administrator's rows are never touched. The test suite turns it
# off (conftest.py): its tests expect an empty table and audit log unless they load the file.
CALENDAR_LOAD_ON_MIGRATE = env_bool("INNOCLUSTER_CALENDAR_LOAD_ON_MIGRATE", True)
USE_I18N = True
USE_TZ = True

# --- static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Uploaded application documents are stored here. Django streams a large upload to a temporary file
# (FILE_UPLOAD_MAX_MEMORY_SIZE) and DATA_UPLOAD_MAX_MEMORY_SIZE does not count file parts, so
# nothing here caps the size of a request body: the reverse proxy must, a little above the largest
# document the policy accepts (registry.documents.max_megabytes, 20 MB), e.g. in nginx
# ``client_max_body_size 25m;``. ``registry.documents.upload_document`` then refuses an oversized
# file by its declared size before reading it.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}

# --- e-mail -------------------------------------------------------------------------------------
_mail_backend = env(
    "EMAIL_BACKEND",
    # Development: printed on the console of the server, decoded (core.notifications.console).
    "innocluster.core.notifications.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_mail_options = {}
if _mail_backend.endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": env("EMAIL_HOST", "localhost"),
        "port": int(env("EMAIL_PORT", "25")),
        "username": env("EMAIL_HOST_USER"),
        "password": env("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": 30,
    }
MAILERS = {"default": {"BACKEND": _mail_backend, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "innocluster <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The Fund's name, signing its mails (account mails are in Kazakh and Russian, plus English for
# a reader who chose English); a deployment sets its own.
INNOCLUSTER_FUND_NAME = {
    "kk": env("INNOCLUSTER_FUND_NAME_KK", "Инновациялық кластердің дербес кластерлік қоры"),
    "ru": env("INNOCLUSTER_FUND_NAME_RU", "Автономный кластерный фонд инновационного кластера"),
    "en": env("INNOCLUSTER_FUND_NAME_EN", "Autonomous Cluster Fund of the Innovation Cluster"),
}

# --- levy notices: where subsoil users pay (issue 12) ----------------------------------------
# The Fund's payment details printed on the levy notices. The values here are DEMO values (the
# demo's levy account); a deployment sets its own from the Fund's bank account agreement (IBAN,
# BIC, bank name) and its registration certificate (BIN). КБе, the beneficiary code, is residency
# (1: resident) and economic sector (8: non-profit organisations serving households; our design
# for an autonomous cluster fund, to be confirmed by the Fund's accountant). КНП, the payment
# purpose code, comes from the National Bank's rules on payment codes; 119 ("other gratuitous
# transfers") is our design until the Fund and its bank agree on the code.
INNOCLUSTER_LEVY_PAYEE = {
    "bin": env("INNOCLUSTER_LEVY_PAYEE_BIN", "170940000012"),
    "iban": env("INNOCLUSTER_LEVY_PAYEE_IBAN", "KZ18722S000012345678"),
    "bic": env("INNOCLUSTER_LEVY_PAYEE_BIC", "CASPKZKA"),
    "bank_kk": env("INNOCLUSTER_LEVY_PAYEE_BANK_KK", "«Kaspi Bank» АҚ"),
    "bank_ru": env("INNOCLUSTER_LEVY_PAYEE_BANK_RU", "АО «Kaspi Bank»"),
    "kbe": env("INNOCLUSTER_LEVY_PAYEE_KBE", "18"),
    "knp": env("INNOCLUSTER_LEVY_PAYEE_KNP", "119"),
}

# --- foreign specialists: the Fund as an employer (issue 15) -------------------------------------
# The Fund's own organisation is the one with this BIN: the HR officer files requests for it, and it
# is always an eligible employer (it is not a participant of the register). A deployment sets the
# Fund's real BIN (normally the one its levy notices print). The DEMO default is the levy payee's demo
# number with a valid check digit (the payee's demo BIN fails the checksum, so no organisation can be
# entered with it).
INNOCLUSTER_FUND_BIN = env("INNOCLUSTER_FUND_BIN", "170940000015")

# --- transport security: on whenever the public URL is https ------------------------------------
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
# Behind one reverse proxy, the client's address is the last X-Forwarded-For hop (login throttling
# per IP would otherwise count every visitor as the proxy).
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if env_bool("BEHIND_PROXY") else 0
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "style-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
