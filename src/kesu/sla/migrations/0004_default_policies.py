from django.db import migrations

from kesu.sla.defaults import DEFAULT_POLICIES


def seed(apps, schema_editor):
    SlaPolicy = apps.get_model("sla", "SlaPolicy")
    known = {field.name for field in SlaPolicy._meta.get_fields()}  # the policy's fields at this migration
    for policy in DEFAULT_POLICIES:
        SlaPolicy.objects.get_or_create(
            name=policy["name"], defaults={k: v for k, v in policy.items() if k != "name" and k in known}
        )


class Migration(migrations.Migration):
    dependencies = [("sla", "0003_sla_policy")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
