"""Settings of ``bench/outbox.py`` and its workers: development settings, SMS through
Kavenegar's API at the bench's local fake server, every wait shortened to seconds."""

import os

from config.settings.dev import *  # noqa: F403

SMS_GATEWAY = "notifications.gateways.KavenegarGateway"
KAVENEGAR_API_KEY = os.environ["BENCH_KAVENEGAR_KEY"]
KAVENEGAR_API_URL = os.environ["BENCH_KAVENEGAR_URL"]
KAVENEGAR_SENDER = "10004346"
KAVENEGAR_READ_TIMEOUT = 5
SMS_DAILY_CAP_PER_MOBILE = 1000
SMS_RETRY_MAX_WAIT_SECONDS = 1  # retried after 1 s, 22 times at most
SMS_SENDING_GRACE_SECONDS = 4  # a killed worker's "sending" messages asked after 4 s
SMS_STATUS_RECHECK_SECONDS = 1
SMS_RECONCILE_CRON = "* * * * * */2"
SMS_STATUS_CRON = "* * * * * */2"
SMS_RECEIVE_CRON = "0 0 1 1 *"  # no replies in this bench
JOBS_HEARTBEAT_SECONDS = 1
JOBS_STALLED_AFTER_SECONDS = 4
JOBS_STALLED_CRON = "* * * * * */2"
PROCRASTINATE_WORKER_DEFAULTS = {
    "update_heartbeat_interval": JOBS_HEARTBEAT_SECONDS,
    "stalled_worker_timeout": JOBS_STALLED_AFTER_SECONDS,
    "fetch_job_polling_interval": 0.5,
}
LOG_LEVEL = "WARNING"
LOGGING["loggers"]["panjereh"]["level"] = "WARNING"  # noqa: F405
LOGGING["loggers"]["procrastinate"]["level"] = "WARNING"  # noqa: F405
