"""Management edits the matrix and the limits in the admin; a handler may not."""

from __future__ import annotations

from kesu.compensation.models import ApprovalLimit


def test_manager_edits_limits_handler_may_not(client, manager, handler):
    client.force_login(manager)
    assert client.get("/admin/compensation/compensationrule/").status_code == 200
    page = client.get("/admin/compensation/approvallimit/")
    assert page.status_code == 200
    limit = ApprovalLimit.objects.get(role="handler")
    response = client.post(f"/admin/compensation/approvallimit/{limit.pk}/change/", {"role": "handler", "max_amount": "800"})
    assert response.status_code == 302
    limit.refresh_from_db()
    assert str(limit.max_amount) == "800.00"
    client.force_login(handler)
    assert client.get("/admin/compensation/approvallimit/").status_code in (302, 403)
