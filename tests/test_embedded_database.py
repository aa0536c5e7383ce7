"""The embedded PostgreSQL: started on demand, shared between processes, stopped by the last."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

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
