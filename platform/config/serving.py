"""How the portal is served: granian's command line, in one place.

``make run``, the browser tests (``tests/fixtures/servers.py``) and the benches
(``bench/submit.py``, ``bench/connections.py``) all build granian's arguments
here, so what is tested and measured is what is shipped:

    PYTHONPATH=platform python -m config.serving --port 8000   # replaces itself by granian

Why these flags (granian 2.8.7, WSGI; measured with ``bench/connections.py``):

- ``--http 1``: plain HTTP/1.1. TLS and HTTP/2 end at the proxy (browsers only
  speak HTTP/2 over TLS). In ``auto`` mode a connection that never sends a byte
  is never timed out: granian waits for it to show which protocol it speaks.
- ``--backpressure 2048``: in WSGI mode granian counts every open connection,
  idle keep-alive ones included, against this limit (per worker) and accepts no
  one else once it is reached. ``4`` meant eight idle connections (one browser
  opens six) froze the server; granian's default is backlog ÷ workers (512).
  2048 per worker leaves room for thousands of idle or slow clients, which cost
  a few kilobytes each; what runs Python at once is bounded by the threads.
- ``--blocking-threads 4``: Python threads per worker that run requests, so at
  most workers × 4 requests (and database connections) at once; others wait
  their turn instead of being refused.
- ``--http1-header-read-timeout 10000``: a client gets 10 s to send its request
  headers, and an idle keep-alive connection is closed after 10 s without a new
  request: a client trickling headers byte by byte is cut off, and idle ones
  do not pile up. (granian 2.8.7 has no separate keep-alive timeout.)
- ``--workers-kill-timeout 5``: on Ctrl-C or SIGTERM granian lets requests in
  progress finish and waits for clients still sending their headers (up to the
  header timeout); after 5 s it kills the workers that are still waiting, so
  stopping takes seconds.
"""

import argparse
import os
import shutil
import sys
from pathlib import Path

APPLICATION = "config.wsgi:application"
WORKERS = 2

PROFILES = {
    "production": [
        "--http",
        "1",
        "--blocking-threads",
        "4",
        "--backpressure",
        "2048",
        "--http1-header-read-timeout",
        "10000",
        "--workers-kill-timeout",
        "5",
    ],
    # What `make run` used before 2026-12: eight idle connections stop it accepting
    # anyone, and Ctrl-C waits for them. Kept only to measure against.
    "old": ["--blocking-threads", "4", "--backpressure", "4"],
}


def granian_executable() -> list[str]:
    """granian beside this interpreter (the project's virtual environment)."""
    found = shutil.which("granian", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "granian"]


def granian_command(
    *,
    port: int,
    host: str = "127.0.0.1",
    workers: int = WORKERS,
    profile: str = "production",
    log_level: str = "warning",
) -> list[str]:
    """The full granian command line serving the portal on ``host``:``port``."""
    if profile not in PROFILES:
        raise ValueError(f"unknown server profile {profile!r}; one of {', '.join(PROFILES)}")
    return [
        *granian_executable(),
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        *PROFILES[profile],
        "--log-level",
        log_level,
        APPLICATION,
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the portal with granian.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="production")
    parser.add_argument("--print", action="store_true", help="print the command, do not run it")
    args = parser.parse_args(argv)
    command = granian_command(
        port=args.port, host=args.host, workers=args.workers, profile=args.profile
    )
    if args.print:
        print(" ".join(command))
        return
    # Become granian: signals (Ctrl-C, SIGTERM) reach it directly.
    os.execv(command[0], command)  # noqa: S606 - our own server, fixed arguments


if __name__ == "__main__":
    main()
