#!/usr/bin/env python
"""Benchmark rendering a service page, uncached, and count its queries.

    .venv/bin/python bench/render.py [--requests 200]

Imports (idempotently) a generated agency "bench-render" into the development
database with a small service (2 steps, 1 document, 1 FAQ) and a large one (40
steps, 30 documents, 40 FAQs), then renders each through Django's full request
stack (tenant routing, middleware, templates) many times. Prints p50/p95 in ms
and the query count per page; the last line is JSON.
"""

import argparse
import copy
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from scratch import use_project_imports  # noqa: E402


def _service(slug: str, steps: int, documents: int, faqs: int) -> dict:
    return {
        "slug": slug,
        "title": {"fa": f"خدمت آزمایشی {slug}", "en": f"Bench service {slug}"},
        "summary": {"fa": "خدمتی برای سنجش زمان نمایش صفحه."},
        "level": "hq",
        "delivery": "partial",
        "desk_modes": ["information", "intake"],
        "duration_days": 10,
        "steps": [
            {"title": {"fa": f"مرحله {n}"}, "duration_days": 1, "in_person": n % 5 == 0}
            for n in range(steps)
        ],
        "documents": [
            {"slug": f"doc-{n}", "title": {"fa": f"مدرک {n}"}, "required": n % 2 == 0}
            for n in range(documents)
        ],
        "fees": [{"title": {"fa": "هزینه"}, "amount_rials": 1_500_000}],
        "laws": [{"title": {"fa": "قانون نمونه"}, "approved_on": "2020-01-01"}],
        "faqs": [
            {"question": {"fa": f"پرسش {n}؟"}, "answer": {"fa": f"پاسخ {n}."}} for n in range(faqs)
        ],
        "inquiries": [{"title": {"fa": "استعلام هویت"}, "from_agency": "ثبت احوال"}],
        "complaint_procedure": {"fa": "از طریق سامانه شکایات."},
        "responsible_official": {"name": "مسئول آزمایشی", "position": {"fa": "مدیر"}},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    use_project_imports()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    from tenants.embedded_server import ensure_embedded_server

    ensure_embedded_server()  # the embedded server, unless DATABASE_URL is set
    django.setup()
    from django.db import connection
    from django.test import Client

    from catalog_pages.services import import_catalogue

    catalogue = {
        "format": "service-catalog/1",
        "agency": {"slug": "bench-render", "name": {"fa": "دستگاه سنجش"}, "kind": "other"},
        "services": [_service("small", 2, 1, 1), _service("large", 40, 30, 40)],
    }
    report = import_catalogue(json.dumps(copy.deepcopy(catalogue)))
    assert report.ok, report.errors

    client = Client(HTTP_HOST="bench-render.localhost")
    results = {}
    for slug in ("small", "large"):
        path = f"/{slug}/"
        assert client.get(path).status_code == 200  # warm up imports and template caches
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(path)
        timings = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        timings.sort()
        results[slug] = {
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
            "queries": len(queries),
        }
        print(
            f"{slug}: p50 {results[slug]['p50_ms']} ms, p95 {results[slug]['p95_ms']} ms, "
            f"{results[slug]['queries']} queries",
            flush=True,
        )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
