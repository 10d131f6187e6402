"""The default approval authority: first-line up to 500 CNY, senior up to 5,000, managers unlimited."""

from decimal import Decimal

from django.db import migrations

DEFAULTS = {"handler": Decimal("500.00"), "senior": Decimal("5000.00"), "manager": None}


def seed(apps, schema_editor):
    ApprovalLimit = apps.get_model("compensation", "ApprovalLimit")
    for role, amount in DEFAULTS.items():
        ApprovalLimit.objects.get_or_create(role=role, defaults={"max_amount": amount})


class Migration(migrations.Migration):
    dependencies = [("compensation", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
