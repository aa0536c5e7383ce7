"""Project-level contracts: settings from the environment, the stdlib `platform`."""

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.database import database_from_url
from config.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[1]


def test_platform_is_the_standard_library_module():
    import platform

    assert Path(platform.__file__).parent == Path(sysconfig.get_paths()["stdlib"])
    assert platform.system()
    assert not (ROOT / "platform" / "__init__.py").exists()


def test_platform_is_the_standard_library_module_under_manage_py():
    out = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "import platform; print(platform.system())",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip().splitlines()[-1] == __import__("platform").system()


def test_production_refuses_to_start_without_a_real_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def _production_database(**extra) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", **extra}
    for name in ("SECRET_KEY", "TRACKING_KEY"):
        env.setdefault(name, "k" + os.urandom(40).hex())
    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()


def test_production_keeps_database_connections_between_requests_and_checks_them():
    # A new connection per request cost more than the search it served (bench/search.py).
    assert _production_database() == ["300", "True"]
    assert _production_database(DATABASE_CONN_MAX_AGE="0") == ["0", "True"]


def test_env_helpers_read_types_and_name_the_bad_variable(monkeypatch):
    monkeypatch.setenv("PANJEREH_FLAG", "yes")
    monkeypatch.setenv("PANJEREH_NUMBER", "12")
    monkeypatch.setenv("PANJEREH_LIST", "a, b,,c")
    monkeypatch.delenv("PANJEREH_MISSING", raising=False)
    assert env_bool("PANJEREH_FLAG", False) is True
    assert env_int("PANJEREH_NUMBER", 0) == 12
    assert env_list("PANJEREH_LIST") == ["a", "b", "c"]
    assert env_str("PANJEREH_MISSING", "default") == "default"
    with pytest.raises(ImproperlyConfigured, match="PANJEREH_MISSING"):
        env_str("PANJEREH_MISSING")
    monkeypatch.setenv("PANJEREH_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="PANJEREH_FLAG"):
        env_bool("PANJEREH_FLAG", False)


def test_database_url_is_translated_for_django():
    db = database_from_url("postgres://user:p%40ss@db.example:6432/panjereh?sslmode=require")
    assert db["ENGINE"] == "tenants.postgresql_backend"
    assert (db["NAME"], db["USER"], db["PASSWORD"]) == ("panjereh", "user", "p@ss")
    assert (db["HOST"], db["PORT"]) == ("db.example", "6432")
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_database_url_must_be_postgres():
    with pytest.raises(ImproperlyConfigured, match="PostgreSQL only"):
        database_from_url("mysql://u@h/db")


def test_persian_is_the_default_language_and_tehran_the_time_zone(settings):
    assert settings.LANGUAGE_CODE == "fa"
    assert [code for code, _ in settings.LANGUAGES] == ["fa", "en"]
    assert settings.TIME_ZONE == "Asia/Tehran"
    assert settings.USE_TZ is True
