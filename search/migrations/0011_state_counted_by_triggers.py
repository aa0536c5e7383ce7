"""The synonyms' and the agencies' changes marked on the state row by triggers.

A search checks that what it cached is current by reading the state row alone
(``postgres_ranking._STATE``), instead of hashing every agency's names and every synonym
group with each search. Each statement that changes the synonym groups, or what the
ranking reads of the agencies (slug, names, active or not), sets a new random number on
the row with id 1, in the same transaction, however it is made. Random, not counted: a
change rolled back must not leave a number that the next change would reach again.
Only that row is used from now on: other rows, if any, are dropped.
"""

from django.db import migrations, models
from django_tenants.utils import get_public_schema_name

SCHEMA = get_public_schema_name()
STATE = f'"{SCHEMA}".service_search_indexgeneration'
FUNCTION = f'"{SCHEMA}".service_search_count_change'
# A number no earlier state had (62 random bits, as ``postgres_ranking.index_changed``).
NEW = "(random() * 4611686018427387903)::bigint"

COUNT = f"""
DELETE FROM {STATE} WHERE id <> (SELECT min(id) FROM {STATE});
UPDATE {STATE} SET id = 1;
CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_ARGV[0] = 'agencies' THEN
        INSERT INTO {STATE} (id, value, synonyms, agencies) VALUES (1, 0, 0, {NEW})
        ON CONFLICT (id) DO UPDATE SET agencies = EXCLUDED.agencies;
    ELSE
        INSERT INTO {STATE} (id, value, synonyms, agencies) VALUES (1, 0, {NEW}, 0)
        ON CONFLICT (id) DO UPDATE SET synonyms = EXCLUDED.synonyms;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER service_search_agencies_changed
    AFTER INSERT OR DELETE OR UPDATE OF slug, name_fa, name_en, is_active OR TRUNCATE
    ON "{SCHEMA}".tenants_agency FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}('agencies');
CREATE TRIGGER service_search_synonyms_changed
    AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE
    ON "{SCHEMA}".service_search_synonymgroup
    FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}('synonyms');
"""

UNCOUNT = f"""
DROP TRIGGER service_search_agencies_changed ON "{SCHEMA}".tenants_agency;
DROP TRIGGER service_search_synonyms_changed ON "{SCHEMA}".service_search_synonymgroup;
DROP FUNCTION {FUNCTION}();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("service_search", "0010_query_log_clicked"),
        ("tenants", "0004_supervised_province"),
    ]

    operations = [
        migrations.AddField(
            model_name="indexgeneration",
            name="agencies",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="indexgeneration",
            name="synonyms",
            field=models.BigIntegerField(default=0),
        ),
        migrations.RunSQL(COUNT, UNCOUNT),
    ]
