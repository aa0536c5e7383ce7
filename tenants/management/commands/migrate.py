"""``migrate`` is ``migrate_schemas`` here, as in django-tenants (tests call it)."""

from .migrate_schemas import Command  # noqa: F401
