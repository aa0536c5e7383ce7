"""Which schema a piece of code works in, said explicitly.

Services never switch the connection's schema as a side effect (a caller inside an
agency would be left in another one): they enter a schema with a context manager,
which puts back the caller's on the way out.
"""

from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context


def on_public_schema() -> bool:
    """Is the connection on the public schema (the national portal, the shared tables)?"""
    return connection.schema_name == get_public_schema_name()


def is_public(tenant) -> bool:
    """Is ``tenant`` (for example ``request.tenant``) the national portal's stand-in?"""
    return tenant is None or tenant.schema_name == get_public_schema_name()


def in_public_schema():
    """``with in_public_schema():`` the block runs on the public schema, then the caller's."""
    return schema_context(get_public_schema_name())
