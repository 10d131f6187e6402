from django.db import migrations

from kesu.triage.defaults import defaults_seed


def seed(apps, schema_editor):
    defaults_seed(apps)


class Migration(migrations.Migration):
    dependencies = [("triage", "0001_initial"), ("complaints", "0004_category_required_fields_and_more")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
