from django.db import migrations
from django.utils import timezone

from kesu.desk.defaults import templates_seed


def seed(apps, schema_editor):
    templates_seed(apps.get_model("desk", "ResponseTemplate"), now=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("desk", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
