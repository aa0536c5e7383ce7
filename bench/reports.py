#!/usr/bin/env python
"""Benchmark the management reports on 1,000,000 requests of 100 agencies.

    .venv/bin/python bench/reports.py [--requests 1000000] [--agencies 100] [--runs 3] [--keep]

In a scratch database (shared schema only: the reports read the public tables), it
generates the agencies and the requests with one INSERT ... SELECT over
generate_series (no ORM), spread evenly over the Jalali years 1403 and 1404: 70 % HQ,
30 % field units; 80 % answered (1 to 20 working days after acceptance), 5 % rejected,
15 % still open. It builds the closed months' summary tables (``reports.rollup``, as
the nightly job does; timed on its own), then times each report (``reports.selectors``, as the dashboard
calls them) ``--runs`` times and keeps the slowest run, and checks the answers against
the generation formula computed here in Python (received, answered and the mean
working days of the year 1404, and one agency's received). Target: ≤ 1 s each. The
last line is JSON: ``requests`` and ``<report>_s``.
"""

import argparse
import datetime
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from scratch import drop_scratch_database, setup_scratch_database  # noqa: E402

BENCH_DB = "panjereh_bench_reports"
PROVINCES = ("tehran", "isfahan", "fars", "khuzestan", "gilan", "kerman", "yazd", "qom")
DAY = 86400


def _generate(cursor, *, requests: int, agencies: int, base: datetime.datetime, span: int):
    cursor.execute(
        """
        INSERT INTO tenants_agency
            (schema_name, slug, name_fa, name_en, kind, province, parent_slug, level,
             is_active, created_at)
        SELECT 'agency_bench_' || k, 'bench-' || k, 'دستگاه آزمایشی ' || k, '', 'organization',
               (%(provinces)s::text[])[1 + k %% %(province_count)s], '', 'hq', true, now()
        FROM generate_series(0, %(agencies)s - 1) AS k
        """,
        {"agencies": agencies, "provinces": list(PROVINCES), "province_count": len(PROVINCES)},
    )
    cursor.execute("SELECT min(id) FROM tenants_agency WHERE slug LIKE 'bench-%%'")
    first_agency = cursor.fetchone()[0]
    cursor.execute(
        """
        INSERT INTO service_requests_servicerequest
            (agency_id, service_key, service_slug, service_title, level, unit_id, unit_name,
             province, sequence, tracking_code, submission_token, status, data, national_id,
             mobile, channel, registered_by, submitted_at, promised_on, updated_at,
             accepted_at, answered_at, rejected_at, paused_days, answer_days, promised_days)
        SELECT %(first)s + g.i %% %(agencies)s,
               md5('service-' || g.i %% %(agencies)s || '-' || (g.i / %(agencies)s) %% 10)::uuid,
               'service-' || (g.i / %(agencies)s) %% 10,
               'خدمت ' || (g.i / %(agencies)s) %% 10,
               CASE WHEN g.i %% 10 < 7 THEN 'hq' ELSE 'field' END,
               CASE WHEN g.i %% 10 < 7 THEN NULL ELSE 1 + g.i %% 5 END,
               '',
               a.province,
               g.i + 1, lpad(g.i::text, 13, '0'), md5('token-' || g.i)::uuid,
               CASE WHEN g.r < 80 THEN 'answered' WHEN g.r < 85 THEN 'rejected'
                    ELSE 'accepted' END,
               '{}'::jsonb, '', '', 'online', '',
               g.submitted, (g.submitted + interval '12 days')::date, g.submitted,
               CASE WHEN g.r < 80 OR g.r >= 85 THEN g.submitted + interval '1 day' END,
               CASE WHEN g.r < 80 THEN g.submitted + (1 + g.d) * interval '1 day' END,
               CASE WHEN g.r >= 80 AND g.r < 85 THEN g.submitted + interval '2 days' END,
               0,
               CASE WHEN g.r < 80 THEN g.d END,
               CASE WHEN g.r < 80 THEN 10 END
        FROM (
            SELECT i, (i::bigint * 7919) %% 100 AS r, 1 + i %% 20 AS d,
                   %(base)s::timestamptz + ((i::bigint * %(span)s) / %(requests)s)
                       * interval '1 second' AS submitted
            FROM generate_series(0, %(requests)s - 1) AS i
        ) AS g
        JOIN tenants_agency AS a ON a.id = %(first)s + g.i %% %(agencies)s
        """,
        {
            "first": first_agency,
            "agencies": agencies,
            "requests": requests,
            "base": base,
            "span": span,
        },
    )
    return first_agency


def _expected(*, requests: int, agencies: int, base, span, period, agency_index: int):
    """The year's figures as the generation formula makes them."""
    start = (period.start - base).total_seconds()
    end = (period.end - base).total_seconds()
    received = answered = days = agency_received = 0
    for i in range(requests):
        submitted = (i * span) // requests
        if start <= submitted < end:
            received += 1
            if i % agencies == agency_index:
                agency_received += 1
        if (i * 7919) % 100 < 80:
            d = 1 + i % 20
            answered_at = submitted + (1 + d) * DAY
            if start <= answered_at < end:
                answered += 1
                days += d
    return {
        "received": received,
        "answered": answered,
        "mean_days": days / answered,
        "agency_received": agency_received,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--agencies", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()

    params = setup_scratch_database(BENCH_DB)
    try:
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
        from reports import selectors
        from reports.periods import Period

        base = Period("year", 1403, 1).start
        span = int((Period("year", 1404, 1).end - base).total_seconds())
        began = time.perf_counter()
        with connection.cursor() as cursor:
            first_agency = _generate(
                cursor, requests=args.requests, agencies=args.agencies, base=base, span=span
            )
        generated_s = time.perf_counter() - began
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE service_requests_servicerequest")
        vacuum_s = time.perf_counter() - began
        print(
            f"generated {args.requests:,} requests in {generated_s:.1f} s, vacuum {vacuum_s:.1f} s"
        )

        # The closed months' summary tables, as the nightly job (or the first report) builds
        # them: once per month.
        from reports import rollup

        began = time.perf_counter()
        for jalali_year in (1403, 1404):
            rollup.ensure_built(jalali_year, list(range(1, 13)))
        build_s = time.perf_counter() - began
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE reports_monthfigures")
            cursor.execute("VACUUM ANALYZE reports_monthanswerdays")
            cursor.execute("SELECT count(*) FROM reports_monthfigures")
            summary_rows = cursor.fetchone()[0]
        print(f"built 24 months of summary tables ({summary_rows:,} rows) in {build_s:.1f} s")

        year = Period("year", 1404, 1)
        in_esfand = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)
        agency_id = first_agency + 7
        national = selectors.Filters(year)
        one_agency = selectors.Filters(year, agency_id=agency_id)
        reports = {
            "national_summary": lambda: selectors.summary(national),
            "agency_summary": lambda: selectors.summary(one_agency),
            "month_summary": lambda: selectors.summary(selectors.Filters(Period("month", 1404, 7))),
            "province_summary": lambda: selectors.summary(
                selectors.Filters(year, provinces=frozenset({"isfahan"}))
            ),
            "field_summary": lambda: selectors.summary(selectors.Filters(year, level="field")),
            "trend": lambda: selectors.trend(national),
            "agency_trend": lambda: selectors.trend(one_agency),
            "hq_field": lambda: selectors.by_level(national),
            "ranking": lambda: selectors.by_agency(national),
            "agency_services": lambda: selectors.by_service(one_agency),
            # As on 19 Esfand 1404, when Esfand had not ended: its figures from the
            # requests themselves, the eleven months before from the summary tables.
            "national_summary_live_month": lambda: selectors.summary(national, now=in_esfand),
            "ranking_live_month": lambda: selectors.by_agency(national, now=in_esfand),
        }
        timings, answers = {}, {}
        for name, report in reports.items():
            runs = []
            for _ in range(args.runs):
                began = time.perf_counter()
                answers[name] = report()
                runs.append(time.perf_counter() - began)
            timings[f"{name}_s"] = round(max(runs), 3)
            print(f"{name}: {', '.join(f'{run:.3f}' for run in runs)} s")

        expected = _expected(
            requests=args.requests,
            agencies=args.agencies,
            base=base,
            span=span,
            period=year,
            agency_index=7,
        )
        got = answers["national_summary"]
        checks = {
            "national_received": got["received"] == expected["received"],
            "national_answered": got["answered"] == expected["answered"],
            "national_mean_days": abs(got["mean_days"] - expected["mean_days"]) < 1e-9,
            "agency_received": answers["agency_summary"]["received"] == expected["agency_received"],
            "trend_adds_up": sum(m["received"] for m in answers["trend"]) == expected["received"],
            "ranking_adds_up": sum(r["received"] for r in answers["ranking"])
            == expected["received"],
            "levels_add_up": sum(r["received"] for r in answers["hq_field"])
            == expected["received"],
            "live_month_agrees": {
                key: value
                for key, value in answers["national_summary_live_month"].items()
                if key not in ("pending", "overdue_open", "overdue")
            }
            == {
                key: value
                for key, value in selectors.summary(
                    national, now=in_esfand, rollup_allowed=False
                ).items()
                if key not in ("pending", "overdue_open", "overdue")
            },
        }
        print(f"expected {expected}; got received {got['received']}, answered {got['answered']}")
        print("checks:", checks)
        ok = all(checks.values())
        slowest = max(timings.values())
        print(f"slowest report {slowest:.3f} s (target 1 s): {'met' if slowest <= 1 else 'MISSED'}")
        print(
            json.dumps(
                {
                    "requests": args.requests,
                    **timings,
                    "answers_ok": ok,
                    "generate_s": round(generated_s, 1),
                    "build_months_s": round(build_s, 1),
                }
            )
        )
        if not ok:
            sys.exit(1)
    finally:
        if not args.keep:
            drop_scratch_database(BENCH_DB, params)


if __name__ == "__main__":
    main()
