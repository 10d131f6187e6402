"""Masking by role on the pages and in the export (issue 15 §1), and the access log of desk views,
customer pages and attachment downloads (§3): an analyst reads 138****8000, the complaint's handler
the full number."""

from __future__ import annotations

import csv

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kesu.cli import main
from kesu.complaints.actions import attachment_add
from kesu.core.roles import Role
from kesu.customers.actions import CustomerHandles
from kesu.privacy.models import AccessLog
from tests.api.builders import complaint_in
from tests.factories import T0, make_user

PHONE, EMAIL, NAME = "13800138000", "zhang@qq.com", "张伟"
CONTENT = "我是张伟，电话13800138000，邮箱zhang@qq.com，身份证11010519491231002X"
SECRETS = (PHONE, EMAIL, NAME, "11010519491231002X")


def _complaint(handler):
    return complaint_in("in_progress", handler=handler, content=CONTENT,
                        customer=CustomerHandles(name=NAME, phone=PHONE, email=EMAIL))


def _page(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_an_analyst_reads_masked_data_on_every_page(handler, db):
    complaint = _complaint(handler)
    analyst = make_user(Role.ANALYST, "ana")
    pages = {
        "desk": f"/complaints/{complaint.pk}/",
        "list": "/",
        "customer": f"/customers/{complaint.customer_id}/",
        "customers": "/customers/",
        "search": f"/customers/?q={PHONE}",
    }
    for name, url in pages.items():
        html = _page(analyst, url)
        if name == "search":  # the number the analyst typed is echoed in the search box and the links
            html = html.replace(f"q={PHONE}", "").replace(f'value="{PHONE}"', "")
        for secret in SECRETS:
            assert secret not in html, (name, secret)
    desk = _page(analyst, pages["desk"])
    assert "138****8000" in desk and "z***@qq.com" in desk and "张*" in desk
    assert "张*" in _page(analyst, pages["list"])
    search = _page(analyst, pages["search"])  # the full number still finds the customer
    assert "138****8000" in search and f"/customers/{complaint.customer_id}/" in search


def test_the_complaints_handler_reads_the_full_number_a_handler_of_another_group_does_not(handler, other_group):
    complaint = _complaint(handler)
    assert PHONE in _page(handler, f"/complaints/{complaint.pk}/")
    assert NAME in _page(handler, f"/customers/{complaint.customer_id}/")
    stranger = make_user(Role.HANDLER, "stranger", groups=[other_group])
    seen = _page(stranger, f"/complaints/{complaint.pk}/")
    assert PHONE not in seen and "138****8000" in seen


def test_desk_views_customer_pages_and_attachment_downloads_are_in_the_access_log(handler, db):
    complaint = _complaint(handler)
    attachment = attachment_add(complaint=complaint, upload=SimpleUploadedFile("a.txt", b"hello", "text/plain"),
                                by=handler, now=T0)
    analyst = make_user(Role.ANALYST, "ana")
    _page(analyst, f"/complaints/{complaint.pk}/")
    _page(analyst, f"/customers/{complaint.customer_id}/")
    client = Client()
    client.force_login(analyst)
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 200
    logged = list(AccessLog.objects.filter(username="ana").order_by("id").values_list("action", "object_type",
                                                                                     "object_id", "channel"))
    assert logged == [
        ("complaint_view", "complaint", str(complaint.pk), "web"),
        ("customer_view", "customer", str(complaint.customer_id), "web"),
        ("attachment", "attachment", str(attachment.pk), "web"),
    ]


def test_an_export_as_an_analyst_is_masked_and_logged_as_the_system_it_is_full(handler, tmp_path, capsys):
    _complaint(handler)
    make_user(Role.ANALYST, "ana")
    masked, full = tmp_path / "masked.csv", tmp_path / "full.csv"
    assert main(["export", "complaints", str(masked), "--as", "ana"]) == 0
    assert main(["export", "complaints", str(full)]) == 0
    with masked.open(encoding="utf-8-sig") as file:
        row = next(csv.DictReader(file))
    assert (row["customer_name"], row["phone"], row["email"]) == ("张*", "138****8000", "z***@qq.com")
    assert PHONE not in masked.read_text(encoding="utf-8-sig") and "138****8000" in row["content"]
    assert PHONE in full.read_text(encoding="utf-8-sig")
    assert AccessLog.objects.filter(username="ana", action="export", object_type="complaints").count() == 1


def test_show_number_reveals_one_value_for_a_reason_and_the_access_log_page_shows_it(handler, db):
    complaint = _complaint(handler)
    specialist = make_user(Role.SPECIALIST, "spec")  # not of the complaint's group: masked, may reveal
    desk = _page(specialist, f"/complaints/{complaint.pk}/")
    assert "138****8000" in desk and "Show number" in desk or "显示号码" in desk
    client = Client()
    client.force_login(specialist)
    body = {"object_type": "customer", "object_id": complaint.customer_id, "field": "phone"}
    assert client.post("/privacy/reveal/", {**body, "reason": ""}).status_code == 422
    shown = client.post("/privacy/reveal/", {**body, "reason": "客户要求回电"})
    assert shown.status_code == 200 and PHONE in shown.content.decode()

    # the access log: administrators and the DPO read it, filtered by user, customer, date; CSV too
    dpo = make_user(Role.DPO, "dpo1")
    assert Client().get("/privacy/access-log/").status_code == 302  # login first
    analyst = Client()
    analyst.force_login(make_user(Role.ANALYST, "ana"))
    assert analyst.get("/privacy/access-log/").status_code == 403
    page = _page(dpo, f"/privacy/access-log/?user=spec&customer={complaint.customer_id}&from=2000-01-01")
    assert "客户要求回电" in page and "/privacy/access-log/" in page  # the menu entry
    assert "客户要求回电" not in _page(dpo, "/privacy/access-log/?user=nobody")
    dpo_client = Client()
    dpo_client.force_login(dpo)
    exported = dpo_client.get("/privacy/access-log.csv", {"user": "spec"}).content.decode("utf-8-sig")
    assert exported.splitlines()[0].startswith("at,username,action") and "客户要求回电" in exported
    assert dpo_client.get("/privacy/access-log/", {"from": "2026-02-30"}).status_code == 200  # bad date: no 500


def test_the_access_log_csv_does_not_hand_a_spreadsheet_a_formula(db):
    """A reveal's reason is typed by a person; in the CSV it must not start a formula."""
    from kesu.core.clock import clock_now
    from kesu.privacy.models import AccessLog
    from kesu.privacy.selectors import access_log, access_log_csv

    AccessLog.objects.create(at=clock_now(), username="spec", action="reveal", object_type="customer",
                             object_id="1", reason='=HYPERLINK("http://evil.example")')
    import csv
    import io

    header, row = list(csv.reader(io.StringIO(access_log_csv(access_log()))))
    assert row[header.index("reason")] == "'" + '=HYPERLINK("http://evil.example")'
