#!/usr/bin/env python
"""Do idle and slow clients keep others out? Ordinary requests with and without a crowd open.

    .venv/bin/python bench/connections.py [--flags production|old] [--idle 500] [--slow 50]

In a scratch database: imports the sample catalogue and serves it with granian
as ``make run`` does (2 workers, the flags of ``config/serving.py``, production
settings, loopback only; ``--flags old`` for the flags ``make run`` had before:
``--blocking-threads 4 --backpressure 4``). Then

1. times ``--requests`` ordinary requests (the portal home, each from a new
   visitor, one after another) with nothing else open;
2. opens ``--idle`` keep-alive connections (each fetches the portal's style
   sheet, as a browser does, and then stays open; one the server closes is
   reopened, so the crowd stays the same size) and ``--slow`` clients sending
   request headers a byte at a time, and times the same requests again;
3. sends SIGINT to granian with the crowd still open and times its exit.

Each ordinary request must answer 200 with the sample agency on the page within
``--timeout`` seconds; one that does not is a failure (each phase also stops
after ``--budget`` seconds: the requests left count as failures). Both p95 are
printed side by side. Target: with the crowd open, p95 ≤ 100 ms and at most
twice the figure without it, no failures, and exit within 10 s of SIGINT;
otherwise the exit status is 1. The last line is JSON.

The client runs on the same 2-core machine as the server, so it takes CPU from it.
"""

import argparse
import json
import math
import os
import queue
import re
import resource
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from scratch import (  # noqa: E402
    drop_scratch_database,
    percentile,
    production_environment,
    setup_scratch_database,
)

BENCH_DB = "panjereh_bench_connections"
P95_LIMIT_MS = 100
SHUTDOWN_LIMIT_S = 10


def _raise_file_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if soft != resource.RLIM_INFINITY and soft < needed:
        sys.exit(f"need {needed} open files, the hard limit allows {soft} (ulimit -n)")


def in_parallel(items, clients: int, visit) -> None:
    """``visit(item)`` for each of ``items`` from ``clients`` threads, each taking the next
    item left until none is: as many visitors at once, whatever each one's wait."""
    work: queue.Queue = queue.Queue()
    for item in items:
        work.put(item)

    def client():
        while True:
            try:
                item = work.get_nowait()
            except queue.Empty:
                return
            visit(item)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _get(port: int, host: str, path: str, timeout: float) -> tuple[int, bytes]:
    """GET ``path`` on a new connection (a new visitor); (0, b"") when there is no answer."""
    deadline = time.monotonic() + timeout
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(
                f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()
            )
            data = b""
            while True:
                sock.settimeout(max(deadline - time.monotonic(), 0.001))
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
    except OSError:
        return 0, b""
    match = re.match(rb"HTTP/1\.1 (\d{3}) ", data)
    return (int(match.group(1)), data) if match else (0, data)


def _ordinary_requests(port, host, expected: bytes, count, timeout, budget) -> dict:
    """``count`` ordinary requests one after another: latencies (ms) and failures."""
    latencies, failures = [], []
    stop_at = time.monotonic() + budget
    for _ in range(count):
        if time.monotonic() > stop_at:
            failures.append("not sent: the phase ran out of time")
            continue
        started = time.perf_counter()
        status, data = _get(port, host, "/", timeout)
        elapsed = (time.perf_counter() - started) * 1000
        if status == 200 and expected in data:
            latencies.append(elapsed)
        else:
            failures.append(f"status {status}" if status else f"no answer within {timeout} s")
    # A failure counts as a request that never answered.
    ranked = latencies + [math.inf] * len(failures)

    def figure(fraction):  # None: that share of requests got no answer
        value = percentile(ranked, fraction)
        return round(value, 1) if math.isfinite(value) else None

    return {
        "ok": len(latencies),
        "failed": len(failures),
        "p50_ms": figure(0.5),
        "p95_ms": figure(0.95),
        "failures": {reason: failures.count(reason) for reason in sorted(set(failures))},
    }


class Crowd:
    """Idle keep-alive connections and slow clients, kept at their number by one thread."""

    def __init__(self, port: int, host: str, asset: str, idle: int, slow: int):
        self.port = port
        self.request = f"GET {asset} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
        self.headers = f"GET / HTTP/1.1\r\nHost: {host}\r\nX-Padding: ".encode() + b"x" * 8000
        self.selector = selectors.DefaultSelector()
        self.slow: dict[socket.socket, int] = {}  # socket → bytes sent so far
        self.counts = {"idle_answered": 0, "idle_closed_by_server": 0, "slow_cut_off": 0}
        self.stopping = threading.Event()
        for _ in range(slow):
            self._open_slow()
        for _ in range(idle):
            self._open_idle()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _connect(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        sock.setblocking(False)
        return sock

    def _open_idle(self) -> None:
        sock = self._connect()
        sock.sendall(self.request)
        self.selector.register(sock, selectors.EVENT_READ, "idle")

    def _open_slow(self) -> None:
        sock = self._connect()
        sock.send(self.headers[:1])
        self.slow[sock] = 1
        self.selector.register(sock, selectors.EVENT_READ, "slow")

    def _drop(self, sock: socket.socket) -> None:
        self.selector.unregister(sock)
        self.slow.pop(sock, None)
        sock.close()

    def _run(self) -> None:
        next_byte = time.monotonic()
        while not self.stopping.is_set():
            for key, _events in self.selector.select(timeout=0.05):
                sock = key.fileobj
                try:
                    data = sock.recv(65536)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                if data and key.data == "idle":
                    self.counts["idle_answered"] += data.startswith(b"HTTP/1.1 ")
                    continue
                # Closed by the server (or answered, for a slow client: it was cut off).
                self._drop(sock)
                try:
                    if key.data == "idle":
                        self.counts["idle_closed_by_server"] += 1
                        self._open_idle()
                    else:
                        self.counts["slow_cut_off"] += 1
                        self._open_slow()
                except OSError:
                    pass  # the server is stopping
            if time.monotonic() >= next_byte:  # one more header byte from each slow client
                next_byte = time.monotonic() + 0.2
                for sock, sent in list(self.slow.items()):
                    try:
                        sock.send(self.headers[sent : sent + 1])
                        self.slow[sock] = sent + 1
                    except OSError:
                        pass

    def open_counts(self) -> dict:
        slow = len(self.slow)
        return {"idle_open": len(self.selector.get_map()) - slow, "slow_open": slow}

    def close(self) -> None:
        self.stopping.set()
        self.thread.join()
        for key in list(self.selector.get_map().values()):
            key.fileobj.close()
        self.selector.close()


def api_search(port: int, host: str, query: str, timeout: float = 10) -> dict | None:
    """The search API's JSON for ``query`` if it answered 200 with the expected shape,
    else None (the search benches)."""
    status, data = _get(
        port, host, "/api/v1/search?" + urlencode({"q": query, "limit": 10}), timeout
    )
    if status != 200 or b"\r\n\r\n" not in data:
        return None
    try:
        body = json.loads(data.split(b"\r\n\r\n", 1)[1])
    except ValueError:
        return None
    shaped = (
        isinstance(body, dict)
        and body.get("query") == query
        and isinstance(body.get("total"), int)
        and isinstance(body.get("results"), list)
        and all({"agency", "service", "title", "url"} <= set(hit) for hit in body["results"])
    )
    return body if shaped else None


def processes_cpu_ms():
    """(pid, command line, CPU time in ms used so far) of every process (Linux /proc)."""
    for pid in filter(str.isdigit, os.listdir("/proc") if os.path.isdir("/proc") else []):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        ticks = int(fields[11]) + int(fields[12])
        yield int(pid), command, ticks * 1000 // os.sysconf("SC_CLK_TCK")


def _stop(server: subprocess.Popen) -> float | None:
    """SIGINT, as Ctrl-C; seconds until granian exited (None: killed after 40 s)."""
    import psutil

    workers = psutil.Process(server.pid).children(recursive=True)
    started = time.monotonic()
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=40)
        took = round(time.monotonic() - started, 2)
    except subprocess.TimeoutExpired:
        took = None
    for worker in workers:
        if worker.is_running():
            worker.kill()
    if server.poll() is None:
        server.kill()
        server.wait()
    return took


def main() -> None:  # noqa: PLR0915 - one linear script
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flags", choices=["production", "old"], default="production")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--idle", type=int, default=500)
    parser.add_argument("--slow", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=2.0, help="seconds per request")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per phase")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    _raise_file_limit(args.idle + args.slow + 256)

    private = production_environment()
    params = setup_scratch_database(BENCH_DB)
    from django.conf import settings
    from django.core.management import call_command

    from catalog_pages.services import import_catalogue

    call_command("migrate_schemas", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    agency = import_catalogue(
        (ROOT / "catalog_pages/catalog_format/sample-agency.json").read_bytes()
    ).agency
    expected = agency.name_fa.encode()

    from tests.fixtures.servers import free_port, start_granian

    port = free_port()
    host = f"{settings.BASE_DOMAIN}:{port}"
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
        "PANJEREH_DATABASE_NAME": BENCH_DB,
        "PUBLIC_PORT": str(port),
    }
    server = start_granian(port, env, workers=2, profile=args.flags)
    crowd = None
    try:
        status, page = _get(port, host, "/", 30)
        assert status == 200 and expected in page, f"the portal home answered {status}"
        asset = re.search(rb'<link rel="stylesheet" href="([^"]+)"', page).group(1).decode()
        for _ in range(20):  # warm both workers up
            _get(port, host, "/", 30)
        print(f"granian flags: {args.flags}; {args.requests} requests of / each phase", flush=True)
        quiet = _ordinary_requests(port, host, expected, args.requests, args.timeout, args.budget)
        print(f"  nothing else open: {quiet}", flush=True)

        print(f"opening {args.idle} idle keep-alive and {args.slow} slow clients…", flush=True)
        crowd = Crowd(port, host, asset, args.idle, args.slow)
        time.sleep(2)  # let the idle ones have their style sheet
        before = {**crowd.open_counts(), "idle_answered": crowd.counts["idle_answered"]}
        crowded = _ordinary_requests(port, host, expected, args.requests, args.timeout, args.budget)
        crowded["crowd"] = {**before, **crowd.counts, **crowd.open_counts()}
        print(f"  with them open:    {crowded}", flush=True)
        shutdown = _stop(server)
        print(f"  exit after SIGINT with them open: {shutdown} s", flush=True)
    finally:
        if crowd:
            crowd.close()
        if server.poll() is None:
            _stop(server)
        shutil.rmtree(private, ignore_errors=True)
        if not args.keep:
            drop_scratch_database(BENCH_DB, params)

    def shown(p95):
        return "timeout" if p95 is None else f"{p95} ms"

    print(f"\np95 of {args.requests} ordinary requests ({args.flags} flags)")
    print(f"  {'nothing else open':<40} {shown(quiet['p95_ms']):>10}")
    print(
        f"  {f'{args.idle} idle + {args.slow} slow connections':<40} {shown(crowded['p95_ms']):>10}"
    )
    problems = []
    for label, phase in (("without the crowd", quiet), ("with the crowd", crowded)):
        if phase["failed"]:
            problems.append(f"{phase['failed']} requests failed {label}: {phase['failures']}")
    if crowded["p95_ms"] is None or crowded["p95_ms"] > P95_LIMIT_MS:
        problems.append(f"p95 with the crowd is over {P95_LIMIT_MS} ms")
    elif quiet["p95_ms"] and crowded["p95_ms"] > 2 * quiet["p95_ms"]:
        problems.append("p95 with the crowd is more than twice the figure without it")
    if shutdown is None or shutdown > SHUTDOWN_LIMIT_S:
        problems.append(f"granian did not exit within {SHUTDOWN_LIMIT_S} s of SIGINT")
    for problem in problems:
        print(f"MISSED: {problem}")
    print(
        json.dumps(
            {
                "flags": args.flags,
                "quiet": quiet,
                "crowded": crowded,
                "shutdown_s": shutdown,
                "ok": not problems,
            },
            ensure_ascii=False,
        )
    )
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
