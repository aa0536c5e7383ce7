#!/usr/bin/env python
"""Benchmark the single-window search on 10,000 services of 60 agencies.

    .venv/bin/python bench/search.py [--services 10000] [--agencies 60] [--queries 300] [--passes 3]

In a scratch database: generates catalogues in the interchange format (the
labelled services of tests/fixtures/search_catalogues.py among them), indexes
them, then prints the index build time, p50/p95 latency of realistic queries
(the whole set is asked ``--passes`` times; the first pass is reported on its
own too, as it meets a cold cache), and MRR / recall@5 on the labelled set. It then imports the labelled agency
"police" as real Wagtail pages and runs its labelled queries through Wagtail's
built-in database search too, side by side. The last line is JSON.
"""

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from scratch import drop_scratch_database, percentile, setup_scratch_database  # noqa: E402

BENCH_DB = "panjereh_bench_search"

ACTIONS = [
    "صدور",
    "تمدید",
    "ثبت",
    "استعلام",
    "تعویض",
    "ابطال",
    "دریافت",
    "انتقال",
    "اصلاح",
    "پیگیری",
]
OBJECTS = [
    "مجوز ساخت",
    "پروانه کسب",
    "گواهی عدم سوء پیشینه",
    "کارت بازرگانی",
    "پروانه بهره‌برداری",
    "مجوز حفر چاه",
    "سند مالکیت",
    "کارت سوخت",
    "پروانه اشتغال",
    "مجوز تبلیغات",
    "گواهی سلامت",
    "پروانه نظام مهندسی",
    "مجوز واردات",
    "گواهی استاندارد",
    "کارت معافیت",
    "یارانه معیشتی",
    "بیمه بیکاری",
    "مستمری بازنشستگی",
    "وام ازدواج",
    "مجوز آموزشگاه",
    "پروانه داروخانه",
    "مجوز حمل بار",
    "گواهی اشتغال به تحصیل",
    "پروانه صید",
    "مجوز نمایشگاه",
    "کارت هوشمند ناوگان",
]
QUALIFIERS = ["", "اشخاص حقیقی", "اشخاص حقوقی", "اتباع خارجی", "ایثارگران", "روستاییان", "برخط"]


def generated_services(count: int, rng: random.Random) -> list[dict]:
    sys.path.insert(0, str(ROOT))
    from tests.fixtures.search_catalogues import service

    services = []
    for number in range(count):
        action, obj, qualifier = rng.choice(ACTIONS), rng.choice(OBJECTS), rng.choice(QUALIFIERS)
        title = " ".join(part for part in (action, obj, qualifier) if part)
        services.append(
            service(
                f"generated-{number}",
                title,
                f"Generated service {number}",
                f"{title} از طریق درگاه دستگاه و دفاتر پیشخوان.",
                keywords=[obj, action],
                steps=["ثبت درخواست", f"بررسی {obj}", "صدور نتیجه"],
                documents=["تصویر کارت ملی", f"مدارک {obj}"],
            )
        )
    return services


def _reciprocal_rank(hits, agency, service) -> float:
    for position, hit in enumerate(hits, start=1):
        if (hit[0], hit[1]) == (agency, service):
            return 1 / position
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--agencies", type=int, default=60)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    rng = random.Random(1405)  # noqa: S311 - reproducible benchmark data, not secrets

    params = setup_scratch_database(BENCH_DB)
    from django.core.management import call_command

    call_command("migrate_schemas", interactive=False, verbosity=0)

    from search.backends import Filters, get_backend
    from search.models import SynonymGroup
    from tenants.models import Agency
    from tests.fixtures.search_catalogues import CATALOGUES, LABELLED, SYNONYMS, index_catalogue

    backend = get_backend()
    labelled_count = sum(len(services) for services in CATALOGUES.values())
    generated = generated_services(args.services - labelled_count, rng)
    slugs = list(CATALOGUES) + [f"agency-{n}" for n in range(args.agencies - len(CATALOGUES))]
    per_agency = {slug: list(CATALOGUES.get(slug, [])) for slug in slugs}
    for number, service in enumerate(generated):
        per_agency[slugs[number % len(slugs)]].append(service)

    started = time.perf_counter()
    for slug, services in per_agency.items():
        agency = Agency.objects.create(
            schema_name=f"bench_{slug.replace('-', '_')}", slug=slug, name_fa=slug
        )
        index_catalogue(backend, agency, services)
    for phrases in SYNONYMS:
        SynonymGroup.objects.create(phrases="\n".join(phrases))
    backend.after_bulk_load()  # as rebuild_search_index does
    build_seconds = time.perf_counter() - started
    print(
        f"indexed {args.services} services ({2 * args.services} entries) of {len(slugs)} agencies in {build_seconds:.1f} s",
        flush=True,
    )

    queries = [query for _f, query, *_ in LABELLED]
    while len(queries) < args.queries:
        obj = rng.choice(OBJECTS)
        queries.append(
            rng.choice(
                [
                    obj,
                    f"{rng.choice(ACTIONS)} {obj}",
                    f"می خواهم {obj} بگیرم",
                    obj.replace("ی", "ي"),
                    obj[:-1],
                ]
            )
        )
    for query in queries[:20]:
        backend.search(query)  # warm up
    passes = []
    for number in range(1, args.passes + 1):
        latencies = []
        for query in queries:
            started = time.perf_counter()
            backend.search(query)
            latencies.append((time.perf_counter() - started) * 1000)
        passes.append(latencies)
        print(
            f"pass {number}: p50 {statistics.median(latencies):.1f} ms, "
            f"p95 {percentile(latencies, 0.95):.1f} ms",
            flush=True,
        )
    latencies = [latency for latencies in passes for latency in latencies]

    ranks, recall = [], []
    by_family: dict[str, list[float]] = {}
    for family, query, agency, service in LABELLED:
        hits = [(hit.agency, hit.service) for hit in backend.search(query, limit=10).hits]
        rank = _reciprocal_rank(hits, agency, service)
        ranks.append(rank)
        recall.append(1.0 if (agency, service) in hits[:5] else 0.0)
        by_family.setdefault(family, []).append(rank)
        if rank < 1:
            print(
                f"  {family}: {query!r} → expected at {'—' if not rank else round(1 / rank)}; got {hits[:2]}"
            )

    # Wagtail's built-in database search on one agency, as real pages.
    from django_tenants.utils import schema_context
    from wagtail.models import Locale

    from catalog_pages.models import ServicePage
    from catalog_pages.services import import_catalogue

    catalogue = {
        "format": "service-catalog/1",
        "agency": {"slug": "police-pages", "name": {"fa": "پلیس"}, "kind": "organization"},
        "services": CATALOGUES["police"],
    }
    report = import_catalogue(json.dumps(catalogue))
    wagtail_ranks, ours_ranks = [], []
    for family, query, agency, service in LABELLED:
        if agency != "police":
            continue
        with schema_context(report.agency.schema_name):
            locale = Locale.objects.get(language_code="en" if family == "english" else "fa")
            results = list(ServicePage.objects.live().filter(locale=locale).search(query))
        wagtail_hits = [("police", page.slug) for page in results]
        wagtail_ranks.append(_reciprocal_rank(wagtail_hits, agency, service))
        ours = [
            (hit.agency, hit.service)
            for hit in backend.search(query, filters=Filters(agency="police")).hits
        ]
        ours_ranks.append(_reciprocal_rank(ours, agency, service))

    result = {
        "services": args.services,
        "agencies": len(slugs),
        "index_build_s": round(build_seconds, 1),
        "queries": len(latencies),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "first_pass_p95_ms": round(percentile(passes[0], 0.95), 1),
        "mrr": round(statistics.mean(ranks), 3),
        "recall_at_5": round(statistics.mean(recall), 3),
        "mrr_by_family": {
            family: round(statistics.mean(values), 2) for family, values in by_family.items()
        },
        "one_agency_mrr": {
            "panjereh": round(statistics.mean(ours_ranks), 2),
            "wagtail_database_search": round(statistics.mean(wagtail_ranks), 2),
        },
    }
    if not args.keep:
        drop_scratch_database(BENCH_DB, params)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
