from django.db import migrations

from kesu.sla.defaults import DEFAULT_POLICIES


def seed(apps, schema_editor):
    SlaPolicy = apps.get_model("sla", "SlaPolicy")
    for policy in DEFAULT_POLICIES:
        SlaPolicy.objects.get_or_create(name=policy["name"], defaults={k: v for k, v in policy.items() if k != "name"})


class Migration(migrations.Migration):
    dependencies = [("sla", "0003_sla_policy")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
