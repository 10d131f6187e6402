"""POST /api/v1/complaints/{id}/attachments: type and size checked, stored under MEDIA_ROOT, event written."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kesu.complaints.models import Attachment, EventKind
from tests.factories import domain_kinds, make_complaint

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
PDF = b"%PDF-1.7\n" + b"x" * 100


@pytest.fixture
def complaint(db):
    return make_complaint()


def _upload(client, complaint, name: str, content: bytes):
    return client.post(
        f"/api/v1/complaints/{complaint.pk}/attachments", {"file": SimpleUploadedFile(name, content)}
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("收据.png", PNG, "image/png"),
        ("INVOICE.PDF", PDF, "application/pdf"),
        ("通话记录.txt", "客户 13800138000 来电".encode(), "text/plain"),
    ],
)
def test_an_accepted_file_is_stored_with_an_event(
    name, content, content_type, complaint, handler, handler_client, settings
):
    response = _upload(handler_client, complaint, name, content)

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["content_type"], body["size"]) == (name, content_type, len(content))
    attachment = Attachment.objects.get()
    stored = Path(attachment.file.path)
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert complaint.number in stored.parts
    assert stored.read_bytes() == content
    event = complaint.events.order_by("-id").first()
    assert (event.kind, event.actor) == (EventKind.ATTACHMENT, handler)
    assert event.data["attachment"] == {"id": attachment.pk, "name": name, "size": len(content)}


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, "'.exe'"),
        ("photo.png", b"MZ\x90\x00" + b"\x00" * 60, "program"),
        ("photo.png", b"GIF89a" + b"\x00" * 60, "does not look like a .png"),
        ("scan.pdf", b"hello", "does not look like a .pdf"),
        ("noextension", b"hello", "(none)"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_a_refused_file_is_422_saying_why(name, content, problem, complaint, handler_client, settings):
    events = list(complaint.events.values_list("pk", "kind"))

    response = _upload(handler_client, complaint, name, content)

    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"][-1] == "file"
    assert problem in error["msg"]
    assert Attachment.objects.count() == 0
    assert list(complaint.events.values_list("pk", "kind")) == events
    assert domain_kinds(complaint) == [EventKind.CREATED, EventKind.TRIAGED]
    assert not [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def test_an_oversize_file_is_422_naming_the_limit(complaint, handler_client, settings):
    settings.KESU_MAX_ATTACHMENT_BYTES = 1024 * 1024

    response = _upload(handler_client, complaint, "big.png", PNG + b"\x00" * (1024 * 1024))

    assert response.status_code == 422
    assert "limit is 1 MB" in response.json()["detail"][0]["msg"]
    assert Attachment.objects.count() == 0


def test_read_only_roles_may_not_upload(complaint, analyst_client):
    assert _upload(analyst_client, complaint, "a.png", PNG).status_code == 403
    assert Attachment.objects.count() == 0


def test_upload_to_an_unknown_complaint_is_404(handler_client, db):
    response = handler_client.post(
        "/api/v1/complaints/424242/attachments", {"file": SimpleUploadedFile("a.png", PNG)}
    )

    assert response.status_code == 404
