"""django-tenants' backend, with two round trips fewer per request.

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
the socket, so an idle connection whose socket has nothing to read and which libpq
holds good is usable: only then is the ``SELECT 1`` skipped. Anything to read (a
notice, a notification, the end of the session) or a connection not idle is checked
by Django's ``SELECT 1`` as before.

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
from collections import OrderedDict

from django_tenants.postgresql_backend import base
from psycopg import pq

# Statements kept prepared per connection (each holds its plan in the server's memory).
PREPARED_AT_MOST = 64
_PLACEHOLDER = re.compile(r"%[s%]")


class DatabaseWrapper(base.DatabaseWrapper):
    def set_tenant(self, tenant, include_public=True):
        kept = self.search_path_set_schemas
        super().set_tenant(tenant, include_public)
        if kept is not None and self._get_cursor_search_paths() == kept:
            self.search_path_set_schemas = kept

    def is_usable(self):
        raw = self.connection
        if raw is None or raw.closed or raw.pgconn.status != pq.ConnStatus.OK:
            return False
        if raw.pgconn.transaction_status != pq.TransactionStatus.IDLE:
            return super().is_usable()
        waiting = select.poll()
        waiting.register(raw.fileno(), select.POLLIN | select.POLLPRI)
        return super().is_usable() if waiting.poll(0) else True

    def execute_prepared(self, cursor, sql: str, params: list) -> None:
        """Execute ``sql`` (``%s`` placeholders, ``params`` in their order) with ``cursor``
        as a statement prepared on this connection, preparing it the first time it is run
        there. Each step is a statement of its own, so that what is noted as prepared is
        what the server has, whichever step fails (a statement stays prepared even when
        the transaction it was prepared in is rolled back)."""
        prepared = self._prepared()
        name = "p" + hashlib.blake2b(sql.encode(), digest_size=12).hexdigest()
        if name in prepared:
            prepared.move_to_end(name)
        else:
            if not prepared:
                # Planned once for all values: the plan is the same whatever they are.
                cursor.execute("SELECT set_config('plan_cache_mode', 'force_generic_plan', false)")
            if len(prepared) >= PREPARED_AT_MOST:
                oldest = next(iter(prepared))
                cursor.execute(f"DEALLOCATE {oldest}")
                del prepared[oldest]
            numbers = iter(range(1, len(params) + 1))
            text = _PLACEHOLDER.sub(lambda m: f"${next(numbers)}" if m[0] == "%s" else "%", sql)
            cursor.execute(f"PREPARE {name} AS {text}")
            prepared[name] = True
        cursor.execute(f"EXECUTE {name}({', '.join(['%s'] * len(params))})", params)

    def _prepared(self) -> OrderedDict:
        """The names of the statements prepared on the current connection, least recently
        used first (a new connection has none)."""
        kept = getattr(self, "_prepared_statements", None)
        if kept is None or kept[0] is not self.connection:
            kept = self._prepared_statements = (self.connection, OrderedDict())
        return kept[1]
