"""The server keeps serving with idle and slow clients open, and stops when told to.

granian runs as ``make run`` runs it (``config.serving``: 2 workers, its flags) from
the test database. ``PANJEREH_SERVER_PROFILE=old`` runs the same tests against the
flags ``make run`` had before (``--backpressure 4``): both fail there.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from django.db import connection

from .fixtures.servers import forget_what_servers_committed, free_port, start_granian

ROOT = Path(__file__).resolve().parents[1]
PROFILE = os.environ.get("PANJEREH_SERVER_PROFILE", "production")
IDLE = 20
SLOW = 4

# Makes pytest-django set up the test database also when this module runs alone.
pytestmark = pytest.mark.django_db


SERVER_APPLICATION_NAME = "panjereh-serving-test-server"


@pytest.fixture
def serve(django_db_setup, django_db_blocker):
    """Start granian on the test database; returns (process, port). Stopped afterwards."""
    started = []

    def _serve():
        assert connection.settings_dict["NAME"].startswith("test_"), "never the real database"
        port = free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
            "PANJEREH_DATABASE_NAME": connection.settings_dict["NAME"],
            "PUBLIC_PORT": str(port),
            # libpq names the server's connections, so that only they are ended afterwards.
            "PGAPPNAME": SERVER_APPLICATION_NAME,
        }
        process = start_granian(port, env, workers=2, profile=PROFILE)
        started.append(process)
        return process, port

    yield _serve
    for process in started:
        if process.poll() is None:  # it did not stop: kill its workers too
            for worker in psutil.Process(process.pid).children(recursive=True):
                worker.kill()
            process.kill()
        process.wait()
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        # Workers killed mid-connection: end what they left, so the database can be dropped.
        # Theirs only: the browser tests' fixtures may hold a connection of their own.
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s",
            [SERVER_APPLICATION_NAME],
        )
    forget_what_servers_committed()


def _get(port: int, *, timeout: float = 5.0) -> tuple[int, bytes]:
    """GET the portal home on a new connection; raises on no answer within ``timeout``."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(
            f"GET / HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n".encode()
        )
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else 0
    return status, data


class Crowd:
    """Idle keep-alive connections (each asked for a page once, as a browser tab does, and
    then kept open) and slow clients sending their request headers a byte at a time."""

    def __init__(self, port: int, idle: int, slow: int):
        self.headers = f"GET / HTTP/1.1\r\nHost: localhost:{port}\r\nX-Padding: ".encode()
        self.headers += b"x" * 1000
        self.slow = []
        for _ in range(slow):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(self.headers[:1])
            self.slow.append(sock)
        self.idle = []
        for _ in range(idle):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(f"GET / HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n".encode())
            self.idle.append(sock)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._trickle, daemon=True)
        self.thread.start()

    def _trickle(self) -> None:
        offset = 1
        while not self.stopping.wait(0.1) and offset < len(self.headers):
            for sock in self.slow:
                try:
                    sock.sendall(self.headers[offset : offset + 1])
                except OSError:
                    pass
            offset += 1

    def close(self) -> None:
        self.stopping.set()
        self.thread.join()
        for sock in self.idle + self.slow:
            sock.close()


def test_idle_and_slow_clients_do_not_keep_an_ordinary_visitor_out(serve):
    _process, port = serve()
    assert _get(port)[0] == 200  # workers warmed up
    crowd = Crowd(port, IDLE, SLOW)
    try:
        time.sleep(0.5)  # the idle connections have had their page
        for _ in range(3):
            started = time.monotonic()
            try:
                status, page = _get(port, timeout=5)
            except TimeoutError:
                pytest.fail(f"no answer within 5 s with {IDLE} idle and {SLOW} slow clients open")
            elapsed = time.monotonic() - started
            assert status == 200
            assert 'dir="rtl"' in page.decode()
            assert elapsed < 2, f"answered after {elapsed:.1f} s"
    finally:
        crowd.close()


def test_sigint_stops_the_server_within_seconds_with_connections_open(serve):
    process, port = serve()
    assert _get(port)[0] == 200
    crowd = Crowd(port, IDLE, SLOW)
    try:
        time.sleep(0.5)
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pytest.fail("granian still running 10 s after SIGINT")
        assert time.monotonic() - started < 10
    finally:
        crowd.close()


FROZEN = (
    "import gc, sys, config.wsgi; "
    "print(gc.get_freeze_count(), len(gc.get_objects()), "
    "'config.urls_public' in sys.modules, 'config.urls_tenant' in sys.modules)"
)


def test_a_worker_keeps_what_its_start_made_out_of_the_garbage_collectors_scans(
    django_db_setup,
):
    """A full collection scanned every object the worker's start made (some 180,000),
    holding all its requests meanwhile: they are frozen, the URL patterns and views
    with them, and the collector is left with what requests make."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
        "PANJEREH_DATABASE_NAME": connection.settings_dict["NAME"],
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", FROZEN], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    frozen, scanned, public_urls, agency_urls = result.stdout.split()[-4:]
    assert int(frozen) > 100_000
    assert int(scanned) < int(frozen) / 100
    assert public_urls == agency_urls == "True"
