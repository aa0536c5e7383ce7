"""The embedded PostgreSQL: started on demand, shared between processes, stopped by the last."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from tenants.embedded_server import embedded_socket_dir

ROOT = Path(__file__).resolve().parents[1]


def _manage(var_dir: Path, code: str):
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PANJEREH_DATABASE_NAME"}
    }
    env["PANJEREH_VAR_DIR"] = str(var_dir)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _postmaster_pid(var_dir: Path) -> int | None:
    pid_file = var_dir / "pg" / "postmaster.pid"
    if not pid_file.exists():
        return None
    return int(pid_file.read_text().splitlines()[0])


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="DATABASE_URL is set")
def test_embedded_server_is_shared_by_processes_and_stopped_by_the_last(tmp_path):
    code_hold = (
        "import time; from django.db import connection; "
        "connection.ensure_connection(); print('connected', flush=True); time.sleep(6)"
    )
    holder = _manage(tmp_path, code_hold)
    assert holder.stdout.readline().strip() == "connected"
    first_pid = _postmaster_pid(tmp_path)
    assert first_pid is not None
    # The socket is where the settings said it would be before the server started.
    assert (tmp_path / "pg" / ".s.PGSQL.5432").is_socket()

    second = _manage(
        tmp_path,
        "from django.db import connection; connection.ensure_connection(); "
        "print(connection.cursor().execute('select current_database()').fetchone()[0])",
    )
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    assert out.strip().splitlines()[-1] == "panjereh"
    # The second process reused the running server and, not being last, left it running.
    assert _postmaster_pid(tmp_path) == first_pid

    holder.communicate(timeout=60)
    assert holder.returncode == 0
    assert _postmaster_pid(tmp_path) is None


def _postgres_serving(data_dir: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        if process.info["name"] == "postgres" and str(data_dir) in " ".join(
            process.info["cmdline"] or []
        ):
            found.append(process)
    return found


def test_importing_the_settings_starts_no_server_and_creates_nothing(tmp_path):
    var_dir = tmp_path / "var"
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "PANJEREH_DATABASE_NAME", "DJANGO_SETTINGS_MODULE"}
        },
        "PANJEREH_VAR_DIR": str(var_dir),
        "SECRET_KEY": secrets.token_urlsafe(64),
        "TRACKING_KEY": secrets.token_urlsafe(64),
        "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
    }
    code = (
        "import json, config.settings.production as s; d = s.DATABASES['default']; "
        "print(json.dumps([s.EMBEDDED_DATABASE, d['HOST'], d['PORT']]))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    embedded, host, port = json.loads(result.stdout.strip().splitlines()[-1])
    assert embedded is True
    # Described, not started: the socket directory and port are known beforehand.
    assert (host, port) == (str(var_dir.resolve() / "pg"), "5432")
    assert not var_dir.exists()
    assert _postgres_serving(var_dir) == []


def test_a_data_directory_too_long_for_a_socket_gets_a_short_fixed_socket_directory(tmp_path):
    short = tmp_path / "var"
    assert embedded_socket_dir(short) == short.resolve() / "pg"
    deep = tmp_path / ("x" * 120) / "var"
    socket_dir = embedded_socket_dir(deep)
    assert socket_dir != deep.resolve() / "pg"
    assert len(str(socket_dir / ".s.PGSQL.5432")) < 108
    assert embedded_socket_dir(deep) == socket_dir  # the same every time
    assert not deep.exists()
