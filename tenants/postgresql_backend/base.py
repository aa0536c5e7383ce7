"""django-tenants' backend, which sets the search path anew for every request.

Every request starts by choosing its tenant (``TenantMainMiddleware``), and
django-tenants then forgets the search path it set on the connection, so the
request's first query is preceded by a ``SET search_path`` even when the
connection is already on that schema (every search of the national portal, say).
Choosing the schema the connection is already on keeps what was set; a rollback
(of a transaction or to a savepoint) still forgets it, as a rolled-back ``SET``
is undone. Choosing another schema behaves as before, content types' cache
included.
"""

from django_tenants.postgresql_backend import base


class DatabaseWrapper(base.DatabaseWrapper):
    def set_tenant(self, tenant, include_public=True):
        kept = self.search_path_set_schemas
        super().set_tenant(tenant, include_public)
        if kept is not None and self._get_cursor_search_paths() == kept:
            self.search_path_set_schemas = kept
