"""The synonyms' and the agencies' changes marked on rows of their own by triggers.

A search checks that what it cached is current by reading three rows
(``postgres_ranking._STATE``), instead of hashing every agency's names and every synonym
group with each search. Each statement that changes the synonym groups (row 2), or what
the ranking reads of the agencies (slug, names, active or not; row 3), sets a new random
number on its row, in the same transaction, however it is made. Random, not counted: a
change rolled back must not leave a number that a later change would reach again. The
index's own row becomes row 1; other rows, if any, are dropped.
"""

from django.db import migrations
from django_tenants.utils import get_public_schema_name

SCHEMA = get_public_schema_name()
STATE = f'"{SCHEMA}".service_search_indexgeneration'
FUNCTION = f'"{SCHEMA}".service_search_mark_change'
# A number no earlier state had (62 random bits, as ``postgres_ranking.index_changed``).
NEW = "(random() * 4611686018427387903)::bigint"

MARK = f"""
DELETE FROM {STATE} WHERE id <> (SELECT min(id) FROM {STATE});
UPDATE {STATE} SET id = 1;
CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {STATE} (id, value) VALUES (TG_ARGV[0]::bigint, {NEW})
    ON CONFLICT (id) DO UPDATE SET value = EXCLUDED.value;
    RETURN NULL;
END
$$;
CREATE TRIGGER service_search_synonyms_changed
    AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE
    ON "{SCHEMA}".service_search_synonymgroup
    FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}(2);
CREATE TRIGGER service_search_agencies_changed
    AFTER INSERT OR DELETE OR UPDATE OF slug, name_fa, name_en, is_active OR TRUNCATE
    ON "{SCHEMA}".tenants_agency FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}(3);
"""

UNMARK = f"""
DROP TRIGGER service_search_agencies_changed ON "{SCHEMA}".tenants_agency;
DROP TRIGGER service_search_synonyms_changed ON "{SCHEMA}".service_search_synonymgroup;
DROP FUNCTION {FUNCTION}();
DELETE FROM {STATE} WHERE id <> 1;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("service_search", "0010_query_log_clicked"),
        ("tenants", "0004_supervised_province"),
    ]

    operations = [migrations.RunSQL(MARK, UNMARK)]
