"""Defect 9: webhook subscriber URLs on loopback, private or link-local addresses (server-side
request forgery) are refused unless an administrator allows the host; checked again when sending."""

from __future__ import annotations

import pytest

from kesu.channels.destinations import address_public, destination_check
from kesu.channels.webhooks_out import subscriber_save
from kesu.core.errors import FieldError
from kesu.core.roles import Role
from tests.factories import T0, make_user


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/api/v1/complaints", "http://localhost/admin/", "http://10.1.2.3/hook",
        "http://192.168.0.10/hook", "http://172.16.5.5/", "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook", "http://[fd00::1]/", "http://0.0.0.0:6379/", "http://[::ffff:127.0.0.1]/",
    ],
)
def test_a_subscriber_on_a_non_public_address_is_refused(settings, db, url):
    settings.KESU_WEBHOOK_ALLOWED_HOSTS = ()
    admin = make_user(Role.ADMIN, "admin1")
    with pytest.raises(FieldError) as refused:
        subscriber_save(subscriber=None, by=admin, now=T0, name="crm", url=url, events=["complaint.created"])
    assert [(e.field, e.code) for e in refused.value.field_errors] == [("url", "webhook.private_address")]


def test_an_allowed_host_is_accepted(settings, db):
    settings.KESU_WEBHOOK_ALLOWED_HOSTS = ("10.1.2.3",)
    admin = make_user(Role.ADMIN, "admin1")
    row, _secret = subscriber_save(subscriber=None, by=admin, now=T0, name="crm", url="http://10.1.2.3/hook",
                          events=["complaint.created"])
    assert row.pk


def test_public_addresses_pass():
    assert address_public("8.8.8.8") and address_public("2001:4860:4860::8888")
    assert not address_public("100.64.0.1")  # carrier-grade NAT is not public either


def test_sending_checks_again_and_refuses_a_name_that_does_not_resolve():
    with pytest.raises(FieldError) as refused:
        destination_check("https://no-such-host.invalid/hook", ())
    assert refused.value.code == "webhook.unresolvable"
