from django.db import migrations

from kesu.complaints.taxonomy import categories_seed


def seed(apps, schema_editor):
    categories_seed(apps.get_model("complaints", "Category"))


class Migration(migrations.Migration):
    dependencies = [("complaints", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
