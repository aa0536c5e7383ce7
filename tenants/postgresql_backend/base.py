"""django-tenants' backend, with two round trips fewer per request and prepared statements.

**The search path.** Every request starts by choosing its tenant
(``TenantMainMiddleware``), and django-tenants then forgets the search path it set
on the connection, so the request's first query is preceded by a ``SET
search_path`` even when the connection is already on that schema (every search of
the national portal, say). Choosing the schema the connection is already on keeps
what was set; a rollback (of a transaction or to a savepoint) still forgets it, as a
rolled-back ``SET`` is undone. Choosing another schema behaves as before, content
types' cache included.

**The health check.** With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` before
the first query of every request. A server that ends a session (restarting, an
idle timeout, ``pg_terminate_backend``) first sends the client an error and closes
the socket, so a connection found usable less than ``TRUSTED_FOR`` seconds ago,
idle, with nothing to read on its socket and held good by libpq, is usable: only
then is the ``SELECT 1`` skipped. Anything to read (a notice, a notification, the
end of the session), a connection not idle, or one unused for longer (a firewall or
a load balancer may have dropped it without a word) is checked by Django's
``SELECT 1`` as before.

**Prepared statements.** ``execute_prepared`` runs a statement prepared on the
connection the first time it is run there, with a generic plan: PostgreSQL then
neither parses nor plans it again. For a statement whose text is the same for many
values (the search ranking: its values are parameters, its shape depends only on
the query's structure), that is most of what PostgreSQL spends on it besides
running it. Each connection keeps its most recently used ``PREPARED_AT_MOST``
statements. (A pooler in transaction mode, which hands the session to another
client between transactions, would need ``max_prepared_statements``.)
"""

import hashlib
import re
import select
import time
from collections import OrderedDict

from django.db import NotSupportedError
from django_tenants.postgresql_backend import base
from psycopg import pq
from psycopg.adapt import Transformer

# Seconds since a connection was last found usable within which its quiet socket says so.
TRUSTED_FOR = 30
# Statements kept prepared per connection (each holds its plan in the server's memory:
# the search ranking's take 0.8 MB on average, measured on the bench's queries).
PREPARED_AT_MOST = 32
_PLACEHOLDER = re.compile(r"%[s%]")
# The plan made once for all values, for this statement only (the caller's transaction
# keeps its own setting).
_GENERIC = "SET LOCAL plan_cache_mode = force_generic_plan"
_AS_BEFORE = "SET LOCAL plan_cache_mode = DEFAULT"


def _arguments(cursor, params: list) -> str:
    """``EXECUTE``'s arguments: ``params`` as SQL literals, quoted as psycopg quotes them
    for client-side binding, without its parsing the text for placeholders (cached only
    for statements of at most 50 parameters; the ranking has up to 150)."""
    if not params:
        return ""
    literal = Transformer.from_context(cursor.cursor).as_literal
    encoding = cursor.cursor.connection.info.encoding
    return "({})".format(
        ", ".join("NULL" if p is None else literal(p).decode(encoding) for p in params)
    )


class _Prepared:
    """What is prepared on one connection: names, least recently used first, and those to
    drop before they are prepared again (their plan no longer fits the tables)."""

    def __init__(self, connection):
        self.connection = connection
        self.names: OrderedDict = OrderedDict()
        self.stale: set = set()


class DatabaseWrapper(base.DatabaseWrapper):
    def set_tenant(self, tenant, include_public=True):
        kept = self.search_path_set_schemas
        super().set_tenant(tenant, include_public)
        if kept is not None and self._get_cursor_search_paths() == kept:
            self.search_path_set_schemas = kept

    def connect(self):
        super().connect()
        self._usable_at = time.monotonic()  # a connection just made is known good

    def is_usable(self):
        raw = self.connection
        if raw is None or raw.closed or raw.pgconn.status != pq.ConnStatus.OK:
            return False
        quiet = False
        if (
            raw.pgconn.transaction_status == pq.TransactionStatus.IDLE
            and time.monotonic() - getattr(self, "_usable_at", float("-inf")) < TRUSTED_FOR
        ):
            waiting = select.poll()
            waiting.register(raw.fileno(), select.POLLIN | select.POLLPRI)
            quiet = not waiting.poll(0)
        usable = quiet or super().is_usable()
        if usable:
            self._usable_at = time.monotonic()
        return usable

    def execute_prepared(self, cursor, sql: str, params: list, *, again: bool = True) -> None:
        """Execute ``sql`` (``%s`` placeholders, ``params`` in their order) with ``cursor``
        as a statement prepared on this connection, preparing it the first time it is run
        there. Preparing is a statement of its own, so that what is noted as prepared is
        what the server has, whichever step fails (a statement stays prepared even when
        the transaction it was prepared in is rolled back)."""
        prepared = self._prepared()
        name = "p" + hashlib.blake2b(sql.encode(), digest_size=12).hexdigest()
        if name in prepared.names:
            prepared.names.move_to_end(name)
        else:
            if name in prepared.stale:
                cursor.execute(f"DEALLOCATE {name}")
                prepared.stale.discard(name)
            if len(prepared.names) >= PREPARED_AT_MOST:
                oldest = next(iter(prepared.names))
                cursor.execute(f"DEALLOCATE {oldest}")
                del prepared.names[oldest]
            numbers = iter(range(1, len(params) + 1))
            text = _PLACEHOLDER.sub(lambda m: f"${next(numbers)}" if m[0] == "%s" else "%", sql)
            cursor.execute(f"PREPARE {name} AS {text}")
            prepared.names[name] = True
        try:
            # In autocommit the statements are one implicit transaction, whose end ends
            # SET LOCAL's; the caller's own transaction gets its setting back.
            after = "" if self.get_autocommit() else f"; {_AS_BEFORE}"
            cursor.execute(f"{_GENERIC}; EXECUTE {name}{_arguments(cursor, params)}{after}")
        except NotSupportedError:
            # The tables changed under it (a migration): "cached plan must not change
            # result type". Prepared anew, at once unless a transaction is now aborted.
            del prepared.names[name]
            prepared.stale.add(name)
            if not again or self.in_atomic_block:
                raise
            self.execute_prepared(cursor, sql, params, again=False)
            return
        cursor.nextset()  # to the rows of EXECUTE

    def _prepared(self) -> _Prepared:
        """What is prepared on the current connection (a new connection has nothing)."""
        kept = getattr(self, "_prepared_statements", None)
        if kept is None or kept.connection is not self.connection:
            kept = self._prepared_statements = _Prepared(self.connection)
        return kept
