"""Requests of the person (issue 15 §4): export a ZIP of everything; erase, then scan every table and
every file of the data folder for the name, phone and e-mail — nothing may remain; statistics stay."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings

from kesu.channels.replies import complaint_reply_send
from kesu.complaints import actions
from kesu.complaints.models import Complaint, ComplaintEvent
from kesu.core.roles import Role
from kesu.customers.actions import CustomerHandles
from kesu.pipeline import transitions
from kesu.privacy.models import AccessLog
from kesu.privacy.persons import person_erase, person_export
from tests.api.builders import complaint_in
from tests.factories import T0, make_complaint, make_user

NAME, PHONE, EMAIL = "司马懿德", "13912345678", "simayide@example.com"


def _person(handler):
    handles = CustomerHandles(name=NAME, phone=PHONE, email=EMAIL)
    complaint = complaint_in("in_progress", handler=handler, customer=handles, channel="email",
                             content=f"我是{NAME}，电话{PHONE}，发邮件到{EMAIL}")
    transitions.complaint_note_add(complaint=complaint, by=handler, now=T0, text=f"已致电{NAME}（{PHONE}）")
    actions.attachment_add(complaint=complaint, by=handler, now=T0,
                           upload=SimpleUploadedFile("收据.txt", f"{NAME} {PHONE}".encode(), "text/plain"))
    complaint_reply_send(complaint=complaint, by=handler, now=T0, text=f"{NAME}您好，退款已处理")
    # an SMS complaint answered by SMS: the outbound row holds the phone number
    again = make_complaint(channel="sms", customer=CustomerHandles(phone=PHONE), content="再次投诉：退款没到")
    with override_settings(KESU_SMS_WEBHOOK_URL="http://127.0.0.1:9/sms"):
        assert complaint_reply_send(complaint=again, by=handler, now=T0, text="您好，退款三天内到账").outbound.to == PHONE
    return complaint


def _tables_mentioning(needles: list[str]) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the database itself
            text = " ".join(str(row) for row in cursor.fetchall())
            found += [f"{table}: {n}" for n in needles if n in text or json.dumps(n)[1:-1] in text]
    return found


def _files_mentioning(folders: list[Path], needles: list[str]) -> list[str]:
    found = []
    for folder in folders:
        for file in Path(folder).rglob("*"):
            if file.is_file():
                data = file.read_bytes()
                found += [f"{file}: {n}" for n in needles if n.encode() in data]
    return found


def test_export_writes_a_zip_with_every_row_and_file(handler, tmp_path):
    complaint = _person(handler)
    zip_path = tmp_path / "out" / "person.zip"

    done = person_export(customer=complaint.customer, path=zip_path, by=None, now=T0)

    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        body = json.loads(archive.read("person.json"))
    assert "complaints.complaint" in body["tables"] and len(body["tables"]["complaints.complaint"]) == 2
    outbound = body["tables"]["channels.outboundmessage"]
    assert sorted((m["channel"], m["to"]) for m in outbound) == [("email", EMAIL), ("sms", PHONE)]
    assert any(n.startswith("files/") for n in names) and done["files"] == 1
    assert oct(zip_path.stat().st_mode & 0o777) == "0o600"
    assert AccessLog.objects.filter(action="person_export").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_erasure_leaves_nothing_of_the_person_in_any_table_or_file_and_keeps_the_statistics(tmp_path):
    handler = make_user(Role.HANDLER, "h1")
    complaint = _person(handler)
    customer = complaint.customer
    before = (Complaint.objects.count(), ComplaintEvent.objects.count(),
              list(Complaint.objects.order_by("pk").values_list("channel", "status", "category_id")))
    needles = [NAME, PHONE, EMAIL]
    assert _tables_mentioning(needles)  # the scan finds the person before

    person_erase(customer=customer, by=None, now=T0)

    assert _tables_mentioning(needles) == []
    folders = [Path(settings.MEDIA_ROOT), Path(settings.KESU_DATA_DIR)]
    assert _files_mentioning(folders, needles) == []
    after = (Complaint.objects.count(), ComplaintEvent.objects.count(),
             list(Complaint.objects.order_by("pk").values_list("channel", "status", "category_id")))
    assert after == before
    assert AccessLog.objects.filter(action="erasure", object_id=str(customer.pk)).count() == 1


def test_the_cli_exports_by_phone_and_erases_only_with_yes(handler, tmp_path, capsys):
    from kesu.cli import main

    complaint = _person(handler)
    zip_path = tmp_path / "p.zip"

    assert main(["privacy", "export", "--phone", "139 1234 5678", "--to", str(zip_path)]) == 0
    assert zip_path.exists()
    assert main(["privacy", "erase", "--customer", str(complaint.customer_id)]) == 0
    assert "--yes" in capsys.readouterr().out
    assert Complaint.objects.get(pk=complaint.pk).content != "[已删除]"
    assert main(["privacy", "erase", "--customer", str(complaint.customer_id), "--yes"]) == 0
    assert Complaint.objects.get(pk=complaint.pk).content == "[已删除]"
    assert main(["privacy", "export", "--email", "nobody@example.com"]) == 1
