"""Managers edit configuration (calendars, SLA policies, routing, mailboxes) in the admin: give the
existing manager accounts staff access, as ``user_create`` now does for new ones."""

from django.db import migrations


def managers_staff(apps, schema_editor):
    apps.get_model("core", "User").objects.filter(role="manager").update(is_staff=True)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_department_manager_group_lead")]

    operations = [migrations.RunPython(managers_staff, migrations.RunPython.noop)]
