#!/usr/bin/env python
"""Benchmark online submissions and tracking look-ups against a running server.

    .venv/bin/python bench/submit.py [--submissions 400] [--clients 8] [--rows 1000000]

In a scratch database: imports the sample catalogue, serves it with granian as
`make run` does (2 workers, the flags of config/serving.py, production settings, on
loopback) and then

1. submits the sample's "birth registration" request ``--submissions`` times
   from ``--clients`` concurrent clients, each with two 1 MB PDF documents,
   each a full multipart POST through CSRF, form validation, content checks,
   private storage and the atomic submission; prints throughput and p50/p95;
2. fills the request table up to ``--rows`` requests (SQL, no documents) and
   looks up random tracking codes on the public tracking page (one client, then
   ``--clients`` clients); prints p50/p95.

The client runs on the same 2-core machine, so it takes CPU from the server:
the figures are a lower bound. The last line is JSON.
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from scratch import drop_scratch_database, percentile, setup_scratch_database  # noqa: E402

BENCH_DB = "panjereh_bench_submit"
SERVICE = "birth-registration"
MEGABYTE = 1024 * 1024


def _valid_national_id(rng: random.Random) -> str:
    digits = [rng.randrange(10) for _ in range(9)]
    total = sum(d * (10 - i) for i, d in enumerate(digits)) % 11
    check = total if total < 2 else 11 - total
    return "".join(map(str, digits)) + str(check)


def _value_for(field, rng: random.Random) -> str:
    """A valid answer for any kind of generated form field."""
    kind = field.field_type
    return {
        "national_id": lambda: _valid_national_id(rng),
        "mobile": lambda: f"0912{rng.randrange(10**7):07d}",
        "postal_code": lambda: "1" + "".join(str(rng.randrange(1, 10)) for _ in range(9)),
        "email": lambda: "citizen@example.org",
        "number": lambda: "7",
        "jalali_date": lambda: "1403/01/15",
        "choice": lambda: (field.choice_list or [""])[0],
        "checkbox": lambda: "on",
    }.get(kind, lambda: "آزمایش")()


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Client:
    """One browser: keeps its cookies, and its connection unless ``fresh`` (a new one per
    request, as many different citizens would open; lets the kernel spread them over the
    server's workers)."""

    def __init__(self, port: int, host: str, *, fresh: bool = False):
        self.port, self.host, self.fresh = port, host, fresh
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method, path, body=None, headers=None):
        headers = {"Host": self.host, **(headers or {})}
        if self.fresh:
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            headers["Connection"] = "close"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.headers, data


def _cpu_seconds(server_pid: int) -> dict:
    """CPU seconds used so far by the server (granian and its workers), PostgreSQL, this client."""
    import psutil

    def used(process) -> float:
        times = process.cpu_times()
        return times.user + times.system

    server = psutil.Process(server_pid)
    database = [p for p in psutil.process_iter(["name"]) if p.info["name"] == "postgres"]
    return {
        "server": used(server) + sum(used(child) for child in server.children(recursive=True)),
        "postgres": sum(used(p) for p in database if p.is_running()),
        "client": used(psutil.Process()),
    }


def _run_clients(count: int, work) -> float:
    threads = [threading.Thread(target=work, args=(n,)) for n in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def _fill_requests(agency, service, rows: int) -> list[str]:
    """Add plain requests (no documents) up to ``rows``; returns a sample of their codes."""
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from service_requests import tracking
    from service_requests.models import ServiceRequest

    key = tracking.key_from_secret(settings.TRACKING_KEY)
    missing = rows - ServiceRequest.objects.count()
    if missing <= 0:
        return list(ServiceRequest.objects.values_list("tracking_code", flat=True)[:1000])
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval('service_requests_tracking_seq', "
            "nextval('service_requests_tracking_seq') + %s)",
            [missing],
        )
        last = cursor.fetchone()[0]
    first = last - missing + 1
    columns = (
        "agency_id, service_key, service_slug, service_title, level, sequence, tracking_code, "
        "submission_token, status, data, national_id, mobile, submitted_at, promised_on, updated_at"
    )
    started = time.perf_counter()
    with (
        connection.cursor() as cursor,
        cursor.connection.cursor().copy(
            f"COPY {ServiceRequest._meta.db_table} ({columns}) FROM STDIN"
        ) as copy,
    ):
        for sequence in range(first, last + 1):
            copy.write_row(
                (
                    agency.pk,
                    service.translation_key,
                    service.slug,
                    service.title,
                    "hq",
                    sequence,
                    tracking.code_for(sequence, key),
                    uuid.uuid4(),
                    "submitted",
                    "{}",
                    "",
                    "",
                    now,
                    now.date(),
                    now,
                )
            )
            if sequence % 100_000 == 0:
                print(f"  {sequence - first + 1:,} / {missing:,} rows", flush=True)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {ServiceRequest._meta.db_table}")
    print(f"filled {missing:,} requests in {time.perf_counter() - started:.0f} s", flush=True)
    codes = [
        tracking.code_for(n, key)
        for n in random.Random(5).sample(range(first, last + 1), 1000)  # noqa: S311 - test data
    ]
    return codes


def main() -> None:  # noqa: PLR0915 - one linear script
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=400)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=1000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    secret = secrets.token_urlsafe(64)
    private = Path(tempfile.mkdtemp(prefix="panjereh-bench-private-"))
    os.environ.update(
        {
            "SECRET_KEY": secret,
            "TRACKING_KEY": secrets.token_urlsafe(64),
            "HTTPS": "false",
            "PRIVATE_MEDIA_ROOT": str(private),
            "TRACK_LOOKUPS_PER_WINDOW": "100000000",
        }
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    params = setup_scratch_database(BENCH_DB)
    from django.core.management import call_command

    call_command("migrate_schemas", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.conf import settings
    from django_tenants.utils import schema_context

    from catalog_pages.models import ServicePage
    from catalog_pages.services import import_catalogue

    report = import_catalogue(
        (ROOT / "catalog_pages/catalog_format/sample-agency.json").read_bytes()
    )
    agency = report.agency
    with schema_context(agency.schema_name):
        service = ServicePage.objects.get(slug=SERVICE, locale__language_code="fa")
        fields = list(service.form_fields.all())
        documents = list(service.documents.all())
        apply_path = f"/apply/{service.pk}/"

    from tests.fixtures.servers import free_port, start_granian

    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
        "PANJEREH_DATABASE_NAME": BENCH_DB,
        "PUBLIC_PORT": str(port),
    }
    server = start_granian(port, env, workers=2)  # as `make run` serves
    agency_host = f"{agency.hostname}:{port}"
    portal_host = f"{settings.BASE_DOMAIN}:{port}"
    pdf = b"%PDF-1.4\n" + os.urandom(MEGABYTE - 20) + b"\n%%EOF\n"
    per_client = args.submissions // args.clients
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def submitter(number: int) -> None:
        rng = random.Random(number)  # noqa: S311 - reproducible test data
        client = Client(port, agency_host, fresh=True)
        status, _headers, page = client.request("GET", apply_path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        # Send the form where the page says, as a browser does.
        action = re.search(rb'<form method="post" action="([^"]+)"', page).group(1).decode()
        for _ in range(per_client):
            values = {f"field_{field.name}": _value_for(field, rng) for field in fields}
            values.update({"csrfmiddlewaretoken": token, "submission_token": str(uuid.uuid4())})
            files = {f"document_{doc.slug}": (f"{doc.slug}.pdf", pdf) for doc in documents}
            body, content_type = _multipart(values, files)
            started = time.perf_counter()
            status, headers, data = client.request(
                "POST",
                action,
                body=body,
                headers={
                    "Content-Type": content_type,
                    "Referer": f"http://{agency_host}{apply_path}",
                },
            )
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if status == 302 and "/done/" in headers.get("Location", ""):
                    latencies.append(elapsed)
                else:
                    errors = re.findall(rb'class="field-error"[^>]*>([^<]+)<', data)
                    failures.append(f"{status}: {[e.decode() for e in errors] or data[:200]}")

    try:
        print(
            f"submitting {per_client * args.clients} requests from {args.clients} clients…",
            flush=True,
        )
        cpu_before = _cpu_seconds(server.pid)
        wall = _run_clients(args.clients, submitter)
        cpu_after = _cpu_seconds(server.pid)
        if failures:
            print(f"  {len(failures)} failed, e.g. {failures[0]}", flush=True)
        submit = {
            "submissions": len(latencies),
            "failed": len(failures),
            "per_second": round(len(latencies) / wall, 1),
            "p50_ms": round(statistics.median(latencies), 1),
            "p95_ms": round(percentile(latencies, 0.95), 1),
            # CPU time per submission: the web server's processes, PostgreSQL, this client.
            "cpu_ms_each": {
                part: round((cpu_after[part] - cpu_before[part]) * 1000 / max(len(latencies), 1), 1)
                for part in cpu_after
            },
        }
        print(f"  {submit}", flush=True)

        codes = _fill_requests(agency, service, args.rows)
        lookups: dict[int, list[float]] = {}

        def looker(number: int, clients: int) -> None:
            client = Client(port, portal_host, fresh=clients > 1)
            mine = codes[number::clients]
            for index in range(args.lookups // clients):
                code = mine[index % len(mine)]
                started = time.perf_counter()
                status, _h, data = client.request("GET", "/track/?" + urlencode({"code": code}))
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    if status == 200 and code[-4:].encode() in data:
                        lookups.setdefault(clients, []).append(elapsed)
                    else:
                        failures.append(f"lookup {status}")

        looker(0, 1)  # warm-up pass over the same codes is part of the sample: no cache
        track = {}
        for clients in (1, args.clients):
            lookups.pop(clients, None)
            _run_clients(clients, lambda n, c=clients: looker(n, c))
            values = lookups.get(clients, [])
            track[f"{clients}_clients"] = {
                "lookups": len(values),
                "p50_ms": round(statistics.median(values), 1),
                "p95_ms": round(percentile(values, 0.95), 1),
            }
            print(
                f"  tracking look-ups, {clients} client(s): {track[f'{clients}_clients']}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(private, ignore_errors=True)
    from service_requests.models import ServiceRequest

    result = {"submit": submit, "rows": ServiceRequest.objects.count(), "tracking": track}
    if not args.keep:
        drop_scratch_database(BENCH_DB, params)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
