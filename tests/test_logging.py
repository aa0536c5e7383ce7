"""Logging is configured once, in the settings: ``panjereh.<module>`` at INFO to the console."""

import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from notifications.gateways import LogGateway

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIRS = ["platform", "catalog_pages", "forms_engine", "search", "tenants", "themes"]


def test_the_development_sms_gateway_logs_under_panjereh_notifications(caplog):
    with caplog.at_level(logging.INFO, logger="panjereh.notifications"):
        LogGateway().send("09121234567", "درخواست شما ثبت شد")
    [record] = [r for r in caplog.records if r.name.startswith("panjereh.notifications")]
    assert record.levelno == logging.INFO
    assert record.getMessage() == "SMS to 09121234567: درخواست شما ثبت شد"


def test_the_settings_send_panjereh_at_info_to_the_console():
    config = settings.LOGGING
    assert config["loggers"]["panjereh"]["level"] == "INFO"
    assert config["loggers"]["panjereh"].get("propagate", True)
    assert config["loggers"]["procrastinate"]["level"] == "INFO"
    assert config["root"]["handlers"] == ["console"]
    console = config["handlers"]["console"]
    assert console["class"] == "logging.StreamHandler"
    assert logging.getLevelName(console.get("level", "NOTSET")) <= logging.INFO
    assert logging.getLogger("panjereh.notifications.gateways").isEnabledFor(logging.INFO)


@pytest.mark.parametrize("module", ["config.settings.dev", "config.settings.production"])
def test_sms_and_worker_lines_appear_on_the_console(module):
    """What ``make run`` (production settings) and a developer (dev) see on stderr."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "LOG_LEVEL"},
        "DJANGO_SETTINGS_MODULE": module,
        "DATABASE_URL": "postgres://nobody@db.invalid:5432/panjereh",  # never reached
        "SECRET_KEY": secrets.token_urlsafe(64),
        "TRACKING_KEY": secrets.token_urlsafe(64),
        "SMS_GATEWAY": "notifications.gateways.LogGateway",
        "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
    }
    code = (
        "import django, logging; django.setup()\n"
        "from notifications.gateways import get_gateway\n"
        "get_gateway().send('09121234567', 'کد پیگیری شما آماده است')\n"
        "logging.getLogger('procrastinate.worker').info('Job finished')\n"
        "logging.getLogger('panjereh.search.services').debug('not at INFO')\n"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert any(
        line.endswith(
            "INFO panjereh.notifications.gateways: SMS to 09121234567: کد پیگیری شما آماده است"
        )
        for line in lines
    ), result.stderr
    assert any(line.endswith("INFO procrastinate.worker: Job finished") for line in lines)
    assert "not at INFO" not in result.stderr


def test_every_module_logs_under_panjereh():
    calls = {}
    for directory in SOURCE_DIRS:
        for path in (ROOT / directory).rglob("*.py"):
            for call in re.findall(r"getLogger\([^)]*\)", path.read_text()):
                calls.setdefault(call, []).append(str(path.relative_to(ROOT)))
    assert set(calls) == {'getLogger("panjereh." + __name__)'}, calls
