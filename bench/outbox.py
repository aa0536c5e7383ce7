#!/usr/bin/env python
"""SMS delivery under failure: every message delivered, none twice.

    .venv/bin/python bench/outbox.py [--messages 1000] [--fail-rate 0.5] [--concurrency 8]

In a scratch database (shared schema only), queues ``--messages`` texts (one
transaction, as requests do), then runs a real ``manage.py procrastinate worker``
against a local fake of Kavenegar's REST API in this process (tests/kavenegar_fake.py,
reached through ``KAVENEGAR_API_URL``, honouring local ids as Kavenegar does). The fake
fails ``--fail-rate`` of all calls at random, half of those *after* accepting the message
(its answer is lost). Once a third of the messages have left the queue, at a moment one is
being sent, the worker is killed with SIGKILL and a new one started. The bench waits until every message is
settled (delivered, or failed for good) and counts, at the fake, the texts delivered per
local id. Waits are shortened by bench/outbox_settings.py (retries after 1 s, a killed
worker's "sending" messages asked by local id after 4 s). ``--ignore-local-ids`` is the
control: a provider that sends every call it is given texts some citizens twice. The last
line is JSON.
"""

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]
from scratch import drop_scratch_database, setup_scratch_database  # noqa: E402

from tests.kavenegar_fake import FakeKavenegar  # noqa: E402

BENCH_DB = "panjereh_bench_outbox"
SETTLED = ("delivered", "failed", "undeliverable")


def _worker(log: Path, concurrency: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}"}
    command = [sys.executable, "manage.py", "procrastinate", "worker"]
    command += ["--concurrency", str(concurrency)]
    with log.open("ab") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)  # noqa: S603


def _statuses() -> dict[str, int]:
    from django.db.models import Count

    from notifications.models import SmsMessage

    rows = SmsMessage.objects.values_list("status").annotate(n=Count("pk"))
    return dict(rows)


def _wait(condition, *, seconds: float, log: Path, what: str, poll: float = 0.2) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(poll)
    tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
    raise SystemExit(f"timed out after {seconds} s waiting for {what}\n{tail}")


def main() -> None:  # noqa: PLR0915 - one linear script
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--fail-rate", type=float, default=0.5)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=150)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--ignore-local-ids",
        action="store_true",
        help="a control: the fake sends every call, as a provider without local ids would",
    )
    args = parser.parse_args()

    key = "bench" + secrets.token_hex(16)
    log = Path(tempfile.mkdtemp(prefix="panjereh-bench-outbox-")) / "worker.log"
    fake = FakeKavenegar(
        key,
        fail_rate=args.fail_rate,
        seed=args.seed,
        default_status=10,
        honour_local_ids=not args.ignore_local_ids,
    )
    with fake:
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "bench.outbox_settings",
                "BENCH_KAVENEGAR_KEY": key,
                "BENCH_KAVENEGAR_URL": fake.url,
            }
        )
        params = setup_scratch_database(BENCH_DB)
        worker = None
        try:
            from django.core.management import call_command
            from django.db import transaction

            from notifications.services import queue_sms

            call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
            with transaction.atomic():
                ids = [
                    queue_sms(f"0912{n:07d}", f"درخواست {n} شما ثبت شد").pk
                    for n in range(args.messages)
                ]
            print(f"{len(ids)} messages queued; fake Kavenegar at {fake.url}", flush=True)

            started = time.monotonic()
            worker = _worker(log, args.concurrency)

            def mid_send():
                # Past a third, at a moment a message is being sent (its worker between
                # the claim and the record): the crash that must not text anyone twice.
                counts = _statuses()
                left = args.messages - counts.get("queued", 0)
                return (
                    left >= args.messages // 3
                    and counts.get("sending", 0)
                    or (left >= args.messages // 2)
                )

            _wait(
                mid_send,
                seconds=args.timeout,
                log=log,
                what="a third of the messages sent",
                poll=0.02,
            )
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
            at_kill = _statuses()
            print(f"worker killed at {time.monotonic() - started:.1f} s: {at_kill}", flush=True)
            worker = _worker(log, args.concurrency)
            _wait(
                lambda: sum(_statuses().get(status, 0) for status in SETTLED) >= args.messages,
                seconds=args.timeout,
                log=log,
                what="every message to be settled",
            )
            elapsed = time.monotonic() - started
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)
            worker = None
            final = _statuses()
        finally:
            if worker is not None and worker.poll() is None:
                worker.kill()
                worker.wait(timeout=10)
            drop_scratch_database(BENCH_DB, params)

    per_local_id = [fake.delivered.get(str(pk), 0) for pk in ids]
    result = {
        "total": len(ids),
        "delivered": sum(1 for count in per_local_id if count >= 1),
        "duplicates": sum(count - 1 for count in per_local_id if count > 1),
        "failed_permanently": final.get("failed", 0),
        "elapsed_s": round(elapsed, 1),
        "reported_delivered": final.get("delivered", 0),
        "sending_when_killed": at_kill.get("sending", 0),
        "send_calls": fake.calls["send"],
        "answers_lost_after_accepting": fake.calls["answers_lost"],
        "local_id_lookups": fake.calls["statuslocalmessageid"],
        "status_calls": fake.calls["status"],
        "fail_rate": args.fail_rate,
        "local_ids_honoured": not args.ignore_local_ids,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
