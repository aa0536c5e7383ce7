#!/usr/bin/env python
"""Benchmark agency onboarding into a fresh database.

    .venv/bin/python bench/onboarding.py --agencies 20 [--compare-migrations 2]

Creates a scratch database on the configured server (the embedded one unless
DATABASE_URL is set), runs ``migrate_schemas`` (which builds the agency
template), then onboards N agencies one after another through the same service
the admin and the command use. ``--compare-migrations K`` also creates K agency
schemas the plain way (running every migration) for comparison. The last line
is JSON: median_s, p95_s, first10/last10 medians (flatness), peak_rss_mb.
"""

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from scratch import drop_scratch_database, percentile, setup_scratch_database  # noqa: E402

BENCH_DB = "panjereh_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=20)
    parser.add_argument("--compare-migrations", type=int, default=0, metavar="K")
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database.")
    parser.add_argument(
        "--fresh-connection",
        action="store_true",
        help="Open a new database connection for each agency, as separate requests would.",
    )
    args = parser.parse_args()

    params = setup_scratch_database(BENCH_DB)
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate_schemas", interactive=False, verbosity=0)
    print(
        f"migrate_schemas on an empty database: {time.perf_counter() - started:.1f} s", flush=True
    )

    from django.db import connections

    from tenants.services import onboard_agency

    timings = []
    for number in range(1, args.agencies + 1):
        if args.fresh_connection:
            connections.close_all()
        started = time.perf_counter()
        onboard_agency(slug=f"bench-{number}", name_fa=f"دستگاه آزمایشی {number}")
        timings.append(time.perf_counter() - started)
        if number % 10 == 0 or number == args.agencies:
            print(
                f"  onboarded {number}/{args.agencies}: last {timings[-1] * 1000:.0f} ms",
                flush=True,
            )

    plain = []
    if args.compare_migrations:
        from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand

        for number in range(1, args.compare_migrations + 1):
            schema = f"plain_{number}"
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE SCHEMA "{schema}"')
            call_command(
                MigrateSchemasCommand(), schema_name=schema, interactive=False, verbosity=0
            )
            plain.append(time.perf_counter() - started)
            print(f"  plain migrations for one agency: {plain[-1]:.2f} s", flush=True)

    if not args.keep:
        drop_scratch_database(BENCH_DB, params)

    head, tail = timings[:10], timings[-10:]
    result = {
        "agencies": len(timings),
        "median_s": round(statistics.median(timings), 3),
        "p95_s": round(percentile(timings, 0.95), 3),
        "first10_median_s": round(statistics.median(head), 3),
        "last10_median_s": round(statistics.median(tail), 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if plain:
        result["plain_migrations_median_s"] = round(statistics.median(plain), 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
