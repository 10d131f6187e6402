"""The notification settings read from the environment (outgoing email, SMS webhook, decay)."""

from __future__ import annotations

import pytest

from kesu.config.environment import ConfigurationError, environment_read


def _read(tmp_path, **values):
    return environment_read({"KESU_DATA_DIR": str(tmp_path), "KESU_SECRET_KEY": "k", **values})


def test_defaults_send_no_email_over_smtp_and_no_sms(tmp_path):
    env = _read(tmp_path)

    assert env.email_host == ""
    assert env.email_from == "kesu@localhost"
    assert env.sms_webhook_url == ""
    assert env.notify_decay_minutes == 60


def test_smtp_and_webhook_settings_are_read(tmp_path):
    env = _read(
        tmp_path,
        KESU_EMAIL_HOST="smtp.centre.example", KESU_EMAIL_PORT="587", KESU_EMAIL_USER="kesu",
        KESU_EMAIL_PASSWORD="pw", KESU_EMAIL_TLS="true", KESU_EMAIL_FROM="客诉 <kesu@centre.example>",
        KESU_SMS_WEBHOOK_URL="https://sms.centre.example/send", KESU_SMS_WEBHOOK_SECRET="s3",
        KESU_NOTIFY_DECAY_MINUTES="30",
    )

    assert (env.email_host, env.email_port, env.email_user, env.email_password) == (
        "smtp.centre.example", 587, "kesu", "pw"
    )
    assert (env.email_tls, env.email_ssl) == (True, False)
    assert env.email_from == "客诉 <kesu@centre.example>"
    assert (env.sms_webhook_url, env.sms_webhook_secret) == ("https://sms.centre.example/send", "s3")
    assert env.notify_decay_minutes == 30


def test_ssl_defaults_to_port_465(tmp_path):
    assert _read(tmp_path, KESU_EMAIL_HOST="smtp.example", KESU_EMAIL_SSL="1").email_port == 465


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"KESU_EMAIL_TLS": "1", "KESU_EMAIL_SSL": "1"}, "KESU_EMAIL_TLS"),
        ({"KESU_EMAIL_PORT": "smtp"}, "KESU_EMAIL_PORT"),
        ({"KESU_EMAIL_PORT": "0"}, "KESU_EMAIL_PORT"),
        ({"KESU_SMS_WEBHOOK_URL": "sms.example/send"}, "KESU_SMS_WEBHOOK_URL"),
        ({"KESU_NOTIFY_DECAY_MINUTES": "-5"}, "KESU_NOTIFY_DECAY_MINUTES"),
        ({"KESU_NOTIFY_DECAY_MINUTES": "an hour"}, "KESU_NOTIFY_DECAY_MINUTES"),
    ],
)
def test_unusable_values_are_refused_naming_the_variable(tmp_path, values, named):
    with pytest.raises(ConfigurationError, match=named):
        _read(tmp_path, **values)
