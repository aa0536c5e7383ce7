"""The test suite: fast hashing, no network, the real (PostgreSQL) cache.

Each test's cache entries and rate counters roll back with its transaction; the
browser tests' server commits, so they empty both afterwards.
"""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-any-deployment"  # noqa: S105
TRACKING_KEY = "test-only-tracking-key-not-for-any-deployment"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Static files come from the apps' folders; nothing is collected for tests.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# SMS are kept in memory (notifications.gateways.MemoryGateway.sent), never sent.
SMS_GATEWAY = "notifications.gateways.MemoryGateway"

# --- Background jobs: stalled workers found in seconds; the tests' own tasks --------------
# Subprocess workers of tests/test_jobs.py beat every second; one silent for 5 s is dead,
# and the others look for such jobs every 2 s.
JOBS_HEARTBEAT_SECONDS = 1
JOBS_STALLED_AFTER_SECONDS = 5
JOBS_STALLED_CRON = "* * * * * */2"
PROCRASTINATE_WORKER_DEFAULTS = {
    "update_heartbeat_interval": JOBS_HEARTBEAT_SECONDS,
    "stalled_worker_timeout": JOBS_STALLED_AFTER_SECONDS,
    "fetch_job_polling_interval": 0.5,
}
PROCRASTINATE_IMPORT_PATHS = [*PROCRASTINATE_IMPORT_PATHS, "tests.job_tasks"]  # noqa: F405
