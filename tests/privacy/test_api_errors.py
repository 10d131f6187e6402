"""Defect 7: huge page numbers are 422 naming ``page``; every error under /api/ is JSON (a 404 for a
path no endpoint matches, 413 for a body over the limit, 422 for a broken multipart upload)."""

from __future__ import annotations

import pytest

from tests.api.builders import complaint_in

HUGE = 368934881474191034


@pytest.mark.parametrize(
    "path",
    ["/api/v1/complaints", "/api/v1/customers", "/api/v1/calls", "/api/v1/notifications", "/api/v1/queues/mine"],
)
def test_a_huge_page_number_is_422_naming_page(manager_client, path):
    response = manager_client.get(path, {"page": HUGE})
    assert response.status_code == 422, response.content[:300]
    assert response.json()["detail"][0]["loc"][-1] == "page"


@pytest.mark.parametrize("path", ["/api/v1/complaints/-1", "/api/v1/nothing-here", "/api/v1/complaints/abc/replies"])
def test_a_path_no_endpoint_matches_is_a_json_404(manager_client, path):
    response = manager_client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "api.no_endpoint"


def test_a_body_over_the_limit_is_a_json_413(manager_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = manager_client.post("/api/v1/complaints", data=b"{" + b" " * 4096 + b"}",
                                   content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "api.too_large"
    assert response.json()["params"]["limit"] == 1024


def test_a_broken_multipart_upload_is_422(handler, handler_client):
    complaint = complaint_in("in_progress", handler=handler)
    response = handler_client.generic(
        "POST", f"/api/v1/complaints/{complaint.pk}/attachments",
        data=b"--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nunfinished",
        content_type="multipart/form-data; boundary=xyz",
    )
    assert response.status_code == 422, response.content[:300]
    assert response["Content-Type"].startswith("application/json")


def test_an_unknown_method_is_json_too(manager_client):
    response = manager_client.delete("/api/v1/complaints")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
