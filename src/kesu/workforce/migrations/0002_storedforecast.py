from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("workforce", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="StoredForecast",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("computed_at", models.DateTimeField()),
                ("payload", models.JSONField()),
            ],
            options={"ordering": ["-computed_at", "-id"]},
        ),
    ]
