from django.db import migrations, models


def copy_parent_slugs(apps, schema_editor):
    Agency = apps.get_model("tenants", "Agency")
    for agency in Agency.objects.exclude(parent=None).select_related("parent"):
        agency.parent_slug = agency.parent.slug
        agency.save(update_fields=["parent_slug"])


class Migration(migrations.Migration):
    dependencies = [("tenants", "0002_ratecounter")]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="parent_slug",
            field=models.SlugField(
                blank=True, db_index=True, max_length=56, verbose_name="parent agency's slug"
            ),
        ),
        migrations.RunPython(copy_parent_slugs, migrations.RunPython.noop),
    ]
