from django.db import migrations, models


class Migration(migrations.Migration):
    """Replies to SMS complaints go out through the SMS gateway: an outbound message has a channel
    (the rows already there are e-mails)."""

    dependencies = [
        ("channels", "0004_incidents_webhook_event"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboundmessage",
            name="channel",
            field=models.CharField(choices=[("email", "E-mail"), ("sms", "SMS")], default="email",
                                   max_length=8, verbose_name="channel"),
        ),
    ]
