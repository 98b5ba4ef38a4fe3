"""One settings module, configured by environment variables (12-factor).

The defaults are safe for the embedded run of ``make run`` (SQLite under ``var/``, DEBUG on,
localhost only). With ``DEBUG=false`` the process refuses to start unless the settings that
matter in production are set safely: see ``anjian.core.checks``.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from anjian.core.env import env_bool, env_int, env_list, env_networks, env_str, installation_secret

SRC_DIR = Path(__file__).resolve().parent
BASE_DIR = SRC_DIR.parent.parent
VAR_DIR = Path(env_str("ANJIAN_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", True)
# ``make run``: production behaviour (DEBUG off, the product's error pages, static files from the
# app) served over plain http on this machine: a secret key of this installation (var/secret_key),
# localhost only, the embedded SQLite allowed, no https redirect or secure-only cookies.
EMBEDDED = env_bool("ANJIAN_EMBEDDED", False)
_DEV_SECRET = "insecure-dev-key-only-for-the-embedded-run-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", installation_secret(VAR_DIR / "secret_key") if EMBEDDED else _DEV_SECRET)
_LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", _LOCAL_HOSTS if DEBUG or EMBEDDED else [])
_HTTPS = not DEBUG and not EMBEDDED  # behind nginx with TLS in production
# The demo accounts' published password opens nothing in production (accounts.backends), read here
# from the environment: the test runner switches settings.DEBUG off later, the demo stays usable.
DEMO_PASSWORD_ALLOWED = DEBUG or EMBEDDED
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_tasks",
    "django_tasks_db",
    # the app order (docs/architecture.md, anjian.core.layers): an app imports only those above it here
    "anjian.core",
    "anjian.orgs",
    "anjian.accounts",
    "anjian.hazards",
    "anjian.inspections",
    "anjian.risks",
    "anjian.training",
    "anjian.registers",
    "anjian.contractors",
    "anjian.action_plans",
    "anjian.stats",
    "anjian.reports",
    "anjian.oversight",
    "anjian.notifications",
    "anjian.imports",
]

MIDDLEWARE = [
    "anjian.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "anjian.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "anjian.core.middleware.SessionRefreshMiddleware",
    "anjian.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "anjian.core.db.ReplicaReadsMiddleware",  # with a replica: which reads may use it (core.db)
    "django.contrib.messages.middleware.MessageMiddleware",
    "anjian.core.middleware.InputGuardMiddleware",  # NUL, deep JSON, ids beyond bigint: a 400 first
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "anjian.accounts.middleware.PasswordChangeRequiredMiddleware",
    "anjian.core.middleware.IdempotencyMiddleware",  # a form sent twice with its key writes once
]

ROOT_URLCONF = "anjian.urls"
WSGI_APPLICATION = "anjian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "anjian.core.context_processors.navigation",
                "anjian.notifications.context_processors.bell",
            ],
        },
    },
]

# --- database -----------------------------------------------------------------------------------
_default_db = f"sqlite:///{VAR_DIR / 'anjian.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the embedded database serve a few concurrent users.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Several app hosts: a PostgreSQL streaming replica for the heavy reads (core.db: dashboards,
# statistics, exports, the ledger list), everything else and every write on the primary. Behind
# pgbouncer in transaction mode (PGBOUNCER=true): no server-side cursors, no prepared statements.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["anjian.core.db.ReplicaRouter"]
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 10)  # a user's reads stay on the primary after a write
if env_bool("PGBOUNCER", False):
    for _alias in DATABASES.values():
        _alias["DISABLE_SERVER_SIDE_CURSORS"] = True
        _alias.setdefault("OPTIONS", {})["prepare_threshold"] = None
# core.precompiled: each precompiled statement also built by the ORM and compared (the tests turn it on)
PRECOMPILED_CHECK = env_bool("PRECOMPILED_CHECK", False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The statistics' covering index (hazards, found_at INCLUDE …) is for PostgreSQL; SQLite builds it
# on found_at alone, which is all the embedded database needs. No warning on every command.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- authentication -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # lock-out after repeated failures, checked first
    "anjian.accounts.backends.AccountBackend",  # Django's, refusing deactivated organizations' people
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "anjian.accounts.validators.CharacterClassesValidator", "OPTIONS": {"kinds": 3}},
    {"NAME": "anjian.accounts.validators.NotUsernameValidator"},
    {"NAME": "anjian.accounts.validators.NotDemoPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_LOCKOUT_CALLABLE = "anjian.core.authentication.lockout_response"  # JSON for the API, the page for people
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_CLIENT_IP_CALLABLE = "anjian.core.middleware.client_address"  # the client behind TRUSTED_PROXIES
AXES_VERBOSE = False

# The cache the worker processes share: a directory in VAR_DIR (no extra service); "memory" keeps
# one per process (the test runner's choice: its parallel runs must not clear each other's). With
# REDIS_URL (several app hosts) Redis holds the cache (the result cache's generation token with it,
# so a write on one host invalidates on all), the sessions and the replica pins.
REDIS_URL = env_str("REDIS_URL", "")
_cache_location = env_str("CACHE_LOCATION", str(VAR_DIR / "cache"))
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "sessions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "session",
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    SESSION_CACHE_ALIAS = "sessions"
else:
    CACHES = {
        "default": (
            {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
            if _cache_location == "memory"
            else {
                "BACKEND": "anjian.core.cache.FileCache",  # Django's, culled less eagerly
                "LOCATION": _cache_location,
                "OPTIONS": {"MAX_ENTRIES": 5000},
            }
        )
    }
# dashboards and statistics: a result is served again until a write or this many seconds pass
RESULT_CACHE_SECONDS = env_int("RESULT_CACHE_SECONDS", 60)

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)  # one working day
# the 8 hours run from the last request (idle expiry), to within SESSION_REFRESH_SECONDS: the
# session is saved again only that often (core.middleware.SessionRefreshMiddleware)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env_int("SESSION_REFRESH_SECONDS", 300)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
API_TOKEN_TTL = timedelta(hours=env_int("API_TOKEN_TTL_HOURS", 24 * 7))

# --- security headers ---------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _HTTPS)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", _HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", _HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'self'; object-src 'none'"
)

# --- uploads ------------------------------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # request body outside file fields
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
IMPORT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_MB", 20) * 1024 * 1024  # documents attached to reports, plans
PHOTO_MAX_BYTES = env_int("PHOTO_MAX_MB", 10) * 1024 * 1024
# Fernet keys for personal data encrypted at rest (anjian.core.crypto): the first encrypts, all decrypt.
# Empty: one key derived from SECRET_KEY (set these in production, so a new SECRET_KEY loses nothing).
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [])
# the key of the blind index that finds equal values (duplicate ID numbers) without decrypting: set
# once, never rotated (empty: derived from SECRET_KEY)
FIELD_INDEX_KEY = env_str("FIELD_INDEX_KEY", "")
# public tip-offs (oversight): at most this many tips from one address within a minute
TIP_RATE_PER_MINUTE = env_int("TIP_RATE_PER_MINUTE", 19)
# the proxies in front (nginx, a load balancer): only from these is X-Forwarded-For believed, and the
# client's address read from it (core.middleware.client_address: rate limits, audit events, lock-outs)
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES", [])
HAZARD_DUE_SOON_DAYS = env_int("HAZARD_DUE_SOON_DAYS", 3)
IMPORT_MAX_ROWS = 20000

# --- background tasks and notifications (anjian.notifications) -------------------------------------
# The queue: django-tasks with its database backend; `manage.py db_worker` runs the tasks (make run
# starts one beside gunicorn), `manage.py notify_scan` finds what time brings (docs/deployment.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# the address of the site as people reach it, for the links in messages that leave it
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# the hosts a webhook may point at (the robots' own); empty: any host (a private deployment's own robot)
NOTIFY_WEBHOOK_HOSTS = [
    h.lower() for h in env_list("NOTIFY_WEBHOOK_HOSTS", ["qyapi.weixin.qq.com", "oapi.dingtalk.com", "open.feishu.cn"])
]
NOTIFY_EVENT_HORIZON_HOURS = env_int("NOTIFY_EVENT_HORIZON_HOURS", 48)
SMS_PROVIDER = env_str("SMS_PROVIDER", "anjian.notifications.senders.ConsoleSmsProvider")
# SMS_PROVIDER=anjian.notifications.senders.AliyunSmsProvider: Aliyun SMS with these
ALIYUN_SMS_ACCESS_KEY_ID = env_str("ALIYUN_SMS_ACCESS_KEY_ID", "")
ALIYUN_SMS_ACCESS_KEY_SECRET = env_str("ALIYUN_SMS_ACCESS_KEY_SECRET", "")
ALIYUN_SMS_SIGN_NAME = env_str("ALIYUN_SMS_SIGN_NAME", "")
ALIYUN_SMS_TEMPLATE_CODE = env_str("ALIYUN_SMS_TEMPLATE_CODE", "")
ALIYUN_SMS_ENDPOINT = env_str("ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "anjian@localhost")

# --- language and time --------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [SRC_DIR / "static"]  # app.css/app.js and the vendor copies made by `make assets`
# Uploads (photos, scans, attachments): files under MEDIA_ROOT, or, with S3_BUCKET set (several
# app hosts), any S3-compatible store (Aliyun OSS, Huawei OBS, MinIO): private objects, handed out
# only by the scoped views as a redirect to a URL signed for S3_URL_SECONDS (core.uploads).
S3_BUCKET = env_str("S3_BUCKET", "")
S3_URL_SECONDS = env_int("S3_URL_SECONDS", 60)
_media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if S3_BUCKET:
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID", ""),
            "secret_key": env_str("S3_SECRET_ACCESS_KEY", ""),
            "region_name": env_str("S3_REGION", "") or None,
            "addressing_style": env_str("S3_ADDRESSING_STYLE", "") or None,  # "path" for MinIO
            "signature_version": "s3v4",
            "default_acl": None,  # the bucket's own: private
            "querystring_auth": True,
            "querystring_expire": S3_URL_SECONDS,
            "file_overwrite": False,
            "location": env_str("S3_PREFIX", "media"),
        },
    }
    # the browser fetches the signed URLs: the store's origin joins the page's img-src
    # (the host the signed URLs name: the endpoint's, with the bucket in front unless path-style)
    _endpoint = urlsplit(env_str("S3_ENDPOINT_URL", "") or "https://s3.amazonaws.com")
    _s3_host = _endpoint.netloc if env_str("S3_ADDRESSING_STYLE", "") == "path" else f"{S3_BUCKET}.{_endpoint.netloc}"
    CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
        "img-src 'self' data: blob:", f"img-src 'self' data: blob: {_endpoint.scheme}://{_s3_host}"
    )
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- API ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "anjian.core.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "anjian.core.api.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "anjian.core.schema.AutoSchema",  # documents every refusal (core.schema)
    "EXCEPTION_HANDLER": "anjian.core.api.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "anjian.core.parsers.JSONParser",  # refuses NUL and deep nesting before parsing
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_RATES": {"auth": "30/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Anjian API",
    "DESCRIPTION": "安监 · 卫生健康行业安全生产平台 API (v1)",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # the schema and the interactive docs: open on a developer's machine and `make run`, signed-in
    # users only in production unless API_DOCS_PUBLIC=true (they map every endpoint for an attacker)
    "SERVE_PERMISSIONS": [
        "rest_framework.permissions.AllowAny"
        if env_bool("API_DOCS_PUBLIC", DEBUG or EMBEDDED)
        else "rest_framework.permissions.IsAuthenticated"
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # several models have a "status": name each enum after its choices class
    "ENUM_NAME_OVERRIDES": {
        "AssignmentStatusEnum": "anjian.action_plans.choices.AssignmentStatus",
        "SubmissionStatusEnum": "anjian.action_plans.choices.SubmissionStatus",
        "HazardStatusEnum": "anjian.hazards.choices.HazardStatus",
        "HazardLevelEnum": "anjian.hazards.choices.HazardLevel",
        "ChecklistStatusEnum": "anjian.inspections.choices.TemplateStatus",
        "InspectionRhythmEnum": "anjian.inspections.choices.Rhythm",
        "WorkPermitStatusEnum": "anjian.contractors.choices.PermitStatus",
        "ApprovalStepEnum": "anjian.contractors.choices.ApprovalStep",
    },
}

# --- logging ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "anjian.core.middleware.RequestIdLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- refuse unsafe production settings ----------------------------------------------------------
if not DEBUG:
    from anjian.core.env import unsafe_production_settings

    _problems = unsafe_production_settings(
        secret_key=SECRET_KEY,
        dev_secret=_DEV_SECRET,
        allowed_hosts=ALLOWED_HOSTS,
        database=DATABASES["default"],
        embedded=EMBEDDED,
        replica=bool(DATABASE_REPLICA_URL),
        redis=bool(REDIS_URL),
    )
    if _problems:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Refusing to start in production mode (DEBUG=false): " + "; ".join(_problems))
