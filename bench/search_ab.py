#!/usr/bin/env python
"""Compare two checkouts' search API side by side, on one machine at one moment.

    .venv/bin/python bench/search.py --keep        # builds the scratch catalogue, kept
    git worktree add /tmp/before <commit>
    .venv/bin/python bench/search_ab.py /tmp/before [--blocks 10] [--block 200]

On this shared 2-core machine one run of ``bench/search.py`` gives an 8-client p95
anywhere from 39 to 55 ms for the same code, from one hour to the next: two runs
cannot tell a change of a few per cent. Here both checkouts are served at once,
each by granian as ``make run`` serves it (``config.serving``: 2 workers × 4
threads, its own code, this environment's packages), on the database
``bench/search.py --keep`` left. Each side is first warmed up with as many requests
as it is measured with, so that its database connections have prepared their
statements. Then blocks of ``--block`` requests from ``--clients`` clients go to one
side, then the other, in alternating order. A block lasts about a second, and both
sides see the same machine.

The queries are those ``bench/search.py`` sent through the API (its query log), in
their order; with ``--varied``, queries that never repeat, made of their words. A sample counts only if the API answered 200 with JSON. The share of
queries whose first result differs between the sides is printed: a ranking change may
mean that. Beside p50/p95/p99, it prints each side's CPU time per request: its granian
processes, and its PostgreSQL sessions, told apart by ``application_name``. The last
line is JSON.
"""

import argparse
import json
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from connections import _stop, api_search, in_parallel, processes_cpu_ms  # noqa: E402
from scratch import percentile, production_environment, use_project_imports  # noqa: E402

BENCH_DB = "panjereh_bench_search"
SIDES = ("before", "after")


def _cpu_ms(cursor) -> dict[str, list[int]]:
    """CPU ms so far of each side: [its granian processes, its PostgreSQL sessions]."""
    cursor.execute(
        "SELECT pid, application_name FROM pg_stat_activity WHERE application_name LIKE 'ab-%%'"
    )
    sessions = {pid: name.removeprefix("ab-") for pid, name in cursor.fetchall()}
    used = {side: [0, 0] for side in SIDES}
    for pid, command, ms in processes_cpu_ms():
        if pid in sessions:
            used[sessions[pid]][1] += ms
        elif b"granian" in command:
            try:
                environment = Path(f"/proc/{pid}/environ").read_bytes()
            except OSError:
                continue
            for side in SIDES:
                if f"PGAPPNAME=ab-{side}\0".encode() in environment:
                    used[side][0] += ms
    return used


def _requests(port, host, queries, clients, first=0, count=None):
    """Latencies (ms) of ``count`` searches from ``clients`` threads that the API answered
    as it should, the queries it did not, and each answered query's first result."""
    latencies, failed, answers, lock = [], [], {}, threading.Lock()

    def search(query):
        started = time.perf_counter()
        body = api_search(port, host, query)
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            if body is None:
                failed.append(query)
                return
            latencies.append(elapsed)
            answers[query] = body["results"][0]["service"] if body["results"] else None

    numbers = range(first, first + (count or len(queries)))
    in_parallel((queries[number % len(queries)] for number in numbers), clients, search)
    return latencies, failed, answers


def _varied(logged: list[str], count: int) -> tuple[list[str], list[str]]:
    """``count`` distinct queries of 1 to 4 of the ``logged`` queries' words, none of them
    logged, and as many others for the warm-up: reproducible."""
    rng = random.Random(1405)  # noqa: S311 - reproducible benchmark queries, not secrets
    words = sorted({word for query in logged for word in query.split()})
    made = dict.fromkeys(logged)
    while len(made) < len(logged) + 2 * count:
        made.setdefault(" ".join(rng.sample(words, rng.randint(1, 4))))
    fresh = list(made)[len(logged) :]
    return fresh[:count], fresh[count:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="the other checkout (a git worktree)")
    parser.add_argument("--blocks", type=int, default=10, help="blocks per side")
    parser.add_argument("--block", type=int, default=200, help="requests per block")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--varied",
        action="store_true",
        help="queries that never repeat: 1 to 4 of the logged queries' words drawn at random, "
        "other ones for the warm-up (as traffic more varied than the bench's 300 queries)",
    )
    args = parser.parse_args()
    if not (args.before / "platform" / "config" / "wsgi.py").exists():
        parser.error(f"{args.before} is not a checkout of this project")

    production_environment()
    os.environ["PANJEREH_DATABASE_NAME"] = BENCH_DB
    use_project_imports()
    import django
    from django.conf import settings

    from tenants.embedded_server import ensure_embedded_server

    ensure_embedded_server(settings)
    django.setup()
    from django.db import OperationalError, connection, connections

    from search.models import QueryLog
    from tests.fixtures.servers import free_port, start_granian

    try:
        logged = QueryLog.objects.order_by("id").values_list("query", flat=True)
        queries = list(dict.fromkeys(logged))
    except OperationalError:
        queries = []
    if not queries:
        sys.exit("No catalogue to search: run `bench/search.py --keep` first.")
    connections.close_all()
    measured = args.blocks * args.block
    warm_up = queries
    if args.varied:
        queries, warm_up = _varied(queries, measured)

    servers = {}
    try:
        for side, root in zip(SIDES, (args.before.resolve(), ROOT), strict=True):
            port = free_port()
            env = {
                **os.environ,
                "PYTHONPATH": f"{root}:{root / 'platform'}",
                "PANJEREH_DATABASE_NAME": BENCH_DB,
                "PUBLIC_PORT": str(port),
                "PGAPPNAME": f"ab-{side}",
            }
            servers[side] = (start_granian(port, env, workers=2), port)
        host = {side: f"{settings.BASE_DOMAIN}:{port}" for side, (_s, port) in servers.items()}
        for side, (_server, port) in servers.items():  # warm-up, not measured
            _requests(port, host[side], warm_up, args.clients, count=measured)
        latencies = {side: [] for side in SIDES}
        failed = dict.fromkeys(SIDES, 0)
        answers = {side: {} for side in SIDES}
        cpu = {side: [0, 0] for side in SIDES}
        with connection.cursor() as cursor:
            for block in range(args.blocks):
                for side in SIDES if block % 2 == 0 else SIDES[::-1]:
                    before = _cpu_ms(cursor)
                    took, bad, seen = _requests(
                        servers[side][1],
                        host[side],
                        queries,
                        args.clients,
                        first=block * args.block,
                        count=args.block,
                    )
                    after = _cpu_ms(cursor)
                    latencies[side] += took
                    failed[side] += len(bad)
                    answers[side].update(seen)
                    for kind in (0, 1):
                        cpu[side][kind] += after[side][kind] - before[side][kind]
    finally:
        for server, _port in servers.values():
            _stop(server)

    result = {}
    for side in SIDES:
        count = len(latencies[side]) + failed[side]
        result[side] = {
            "checkout": str(args.before.resolve() if side == "before" else ROOT),
            "ok": len(latencies[side]),
            "failed": failed[side],
            **{
                name: round(figure(latencies[side]), 1) if latencies[side] else None
                for name, figure in (
                    ("p50_ms", statistics.median),
                    ("p95_ms", lambda values: percentile(values, 0.95)),
                    ("p99_ms", lambda values: percentile(values, 0.99)),
                )
            },
            "cpu_ms_per_request": {
                "server": round(cpu[side][0] / count, 2),
                "postgres": round(cpu[side][1] / count, 2),
            },
        }
        print(f"{side}: {result[side]}", flush=True)
    common = answers["before"].keys() & answers["after"].keys()
    differ = sum(answers["before"][q] != answers["after"][q] for q in common)
    result["first_result_differs"] = round(differ / max(len(common), 1), 3)
    print(f"queries whose first result differs: {differ} of {len(common)}")
    print(json.dumps(result, ensure_ascii=False))
    if any(failed.values()):
        sys.exit("Some searches were not answered as they should be (see 'failed').")


if __name__ == "__main__":
    main()
