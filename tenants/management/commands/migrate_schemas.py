"""django-tenants' migrate_schemas, then the shared cache's table and a refresh of the
agency template schema.

So an empty database becomes usable with ``python manage.py migrate_schemas``
alone, and new agencies are always cloned from a template as new as the code.
Then every schema's roles (groups) get the permissions the code gives them.
"""

from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand
from django_tenants.utils import schema_context

from tenants.caching import ensure_cache_tables
from tenants.models import Agency
from tenants.roles import ensure_agency_roles, ensure_national_roles
from tenants.schema_template import refresh_template_schema


class Command(MigrateSchemasCommand):
    def handle(self, *args, **options):
        super().handle(*args, **options)
        targets_one_schema = bool(options.get("schema_name"))
        dry_run = options.get("plan") or options.get("check_unapplied") or options.get("fake")
        if self.sync_public and not dry_run:
            for table in ensure_cache_tables(options["database"]):
                if options["verbosity"] >= 1:
                    self.stdout.write(f"Created the cache table {table} in the public schema.")
        if self.sync_tenant and not targets_one_schema and not dry_run:
            if options["verbosity"] >= 1:
                self.stdout.write("Refreshing the agency template schema…")
            refresh_template_schema(verbosity=options["verbosity"], stdout=self.stdout)
            if options["verbosity"] >= 1:
                self.stdout.write(self.style.SUCCESS("Agency template schema is up to date."))
        if not targets_one_schema and not dry_run:
            # Roles follow the code: their permissions are brought up to date everywhere.
            if self.sync_public:
                ensure_national_roles()
            if self.sync_tenant:
                for schema in Agency.objects.values_list("schema_name", flat=True):
                    with schema_context(schema):
                        ensure_agency_roles()
