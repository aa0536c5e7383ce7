"""A local stand-in for Kavenegar's REST API, for tests and ``bench/outbox.py``: no network.

It speaks Kavenegar's shape: ``POST /v1/<key>/sms/<method>.json`` with form
parameters, answered ``{"return": {"status", "message"}, "entries": [...]}`` with the
HTTP status mirroring ``return.status``. It honours local ids as Kavenegar does (a
second send with a known ``localid`` returns the first message and delivers nothing)
and counts what it delivered per local id, so a test can tell a text sent twice.

``fail_rate`` makes that share of calls fail at random, half of them *after* the
message was accepted (the answer is lost, as when a connection drops); ``script``
queues answers for the next calls: ``(status, message)`` for a Kavenegar error,
``"garbage"`` for a non-API page, ``("slow", seconds)`` for a late answer.
"""

import json
import random
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

OK = {"status": 200, "message": "تایید شد"}


class FakeKavenegar:
    def __init__(
        self,
        key: str = "FAKE-KEY-0123456789abcdef",
        *,
        fail_rate: float = 0.0,
        seed=None,
        default_status: int = 1,
        honour_local_ids: bool = True,
    ):
        self.key = key
        self.honour_local_ids = honour_local_ids  # False: a control that sends every call
        self.default_status = default_status  # a message's status until a test sets one
        self.fail_rate = fail_rate
        self.random = random.Random(seed)  # noqa: S311 (failures at random, not secrets)
        self.lock = threading.Lock()
        self.messages: dict[int, dict] = {}
        self.by_local_id: dict[str, int] = {}
        self.delivered = Counter()  # local id (or message id) → texts delivered to a phone
        self.inbox: list[dict] = []
        self.script: list = []
        self.calls = Counter()
        self.statuses: dict[int, int] = {}  # message id → Kavenegar status the test sets
        self._next_id = 8792343
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    # --- the API --------------------------------------------------------------------------

    def answer(self, method: str, params: dict) -> tuple[int, object]:
        """(HTTP status, body) for one call."""
        with self.lock:
            self.calls[method] += 1
            scripted = self.script.pop(0) if self.script else None
            lose_answer = False
            if scripted is None and self.fail_rate and self.random.random() < self.fail_rate:
                if self.random.random() < 0.5:
                    scripted = (409, "سرور قادر به پاسخگوئی نیست")
                else:
                    lose_answer = True
                    self.calls["answers_lost"] += 1
        if scripted == "garbage":
            return 502, "<html>Bad gateway</html>"
        if isinstance(scripted, tuple) and scripted[0] == "slow":
            time.sleep(scripted[1])
        elif scripted is not None:
            status, message = scripted
            return status, {"return": {"status": status, "message": message}, "entries": None}
        handler = getattr(self, f"_{method}", None)
        if handler is None:
            return 404, {"return": {"status": 404, "message": "متدی با این نام پیدا نشده است"}}
        with self.lock:
            entries = handler(params)
        if lose_answer:
            return 500, "<html>Internal error</html>"  # done, but the caller never hears it
        return 200, {"return": OK, "entries": entries}

    def _entry(self, message_id: int) -> dict:
        message = self.messages[message_id]
        return {
            "messageid": message_id,
            "message": message["message"],
            "status": self.statuses.get(message_id, self.default_status),
            "statustext": "در صف ارسال",
            "sender": message["sender"],
            "receptor": message["receptor"],
            "date": message["date"],
            "cost": 120,
        }

    def _send(self, params):
        local_id = params.get("localid", "")
        if local_id and local_id in self.by_local_id and self.honour_local_ids:
            return [self._entry(self.by_local_id[local_id])]  # sent once, whatever the calls
        self._next_id += 1
        message_id = self._next_id
        self.messages[message_id] = {
            "receptor": params["receptor"],
            "message": params["message"],
            "sender": params.get("sender", "10004346"),
            "localid": local_id,
            "date": int(time.time()),
        }
        if local_id:
            self.by_local_id[local_id] = message_id
        self.delivered[local_id or str(message_id)] += 1
        return [self._entry(message_id)]

    def _status(self, params):
        entries = []
        for raw in params.get("messageid", "").split(","):
            message_id = int(raw) if raw.isdigit() else 0
            if message_id in self.messages:
                entries.append(self._entry(message_id))
            else:
                entries.append({"messageid": message_id, "status": 100, "statustext": "نامعتبر"})
        return entries

    def _statuslocalmessageid(self, params):
        entries = []
        for local_id in params.get("localid", "").split(","):
            message_id = self.by_local_id.get(local_id)
            if message_id is None:
                entries.append({"messageid": 0, "localid": local_id, "status": 100})
            else:
                entries.append({**self._entry(message_id), "localid": local_id})
        return entries

    def _receive(self, params):
        given, self.inbox = self.inbox, []
        return given

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                parts = self.path.strip("/").split("/")  # v1, key, sms, method.json
                if len(parts) != 4 or parts[0] != "v1" or not parts[3].endswith(".json"):
                    status, body = 404, {"return": {"status": 404, "message": "not found"}}
                elif parts[1] != fake.key:
                    status, body = 403, {"return": {"status": 403, "message": "کلید نامعتبر"}}
                else:
                    status, body = fake.answer(parts[3].removesuffix(".json"), form)
                data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the caller gave up waiting (a time-out test)

            def log_message(self, *args):
                pass

        return Handler
