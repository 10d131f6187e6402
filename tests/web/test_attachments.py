from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kesu.complaints.models import Attachment, ComplaintEvent
from tests.factories import make_complaint

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _upload(client, complaint, name: str, body: bytes, content_type: str = "application/octet-stream"):
    upload = SimpleUploadedFile(name, body, content_type=content_type)
    return client.post(f"/complaints/{complaint.pk}/attachments/", {"file": upload})


@pytest.mark.django_db
def test_an_exe_is_refused_with_a_message(handler_client, handler):
    complaint = make_complaint(by=handler)

    response = _upload(handler_client, complaint, "invoice.exe", b"MZ\x90\x00" + b"\x00" * 60)

    assert response.status_code == 422
    page = response.content.decode()
    assert "不接受“.exe”类型的文件" in page
    assert 'class="field-error"' in page
    assert not Attachment.objects.filter(complaint=complaint).exists()


@pytest.mark.django_db
def test_a_program_disguised_as_png_is_refused(handler_client, handler):
    complaint = make_complaint(by=handler)

    response = _upload(handler_client, complaint, "photo.png", b"MZ\x90\x00" + b"\x00" * 60)

    assert response.status_code == 422
    assert "photo.png 看起来是可执行程序" in response.content.decode()


@pytest.mark.django_db
def test_a_png_is_accepted_listed_and_downloadable(handler_client, handler):
    complaint = make_complaint(by=handler)

    response = _upload(handler_client, complaint, "破损照片.png", PNG, "image/png")

    assert response.status_code == 302
    attachment = Attachment.objects.get(complaint=complaint)
    page = handler_client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "已添加附件 破损照片.png" in page
    assert f'href="/attachments/{attachment.pk}/"' in page
    assert ComplaintEvent.objects.filter(complaint=complaint, kind="attachment").count() == 1

    download = handler_client.get(f"/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("inline")
    assert b"".join(download.streaming_content) == PNG


@pytest.mark.django_db
def test_other_types_download_as_attachment(handler_client, handler):
    complaint = make_complaint(by=handler)
    _upload(handler_client, complaint, "记录.txt", "客户来电记录".encode(), "text/plain")
    attachment = Attachment.objects.get(complaint=complaint)

    download = handler_client.get(f"/attachments/{attachment.pk}/")

    assert download["Content-Type"] == "text/plain"
    assert download["Content-Disposition"].startswith("attachment")


@pytest.mark.django_db
def test_downloads_need_login(client, handler):
    complaint = make_complaint(by=handler)
    client.force_login(handler)
    _upload(client, complaint, "a.png", PNG, "image/png")
    client.logout()

    response = client.get(f"/attachments/{Attachment.objects.get().pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_an_analyst_may_not_upload(analyst_client, handler):
    complaint = make_complaint(by=handler)

    response = _upload(analyst_client, complaint, "a.png", PNG, "image/png")

    assert response.status_code == 403
    assert not Attachment.objects.exists()


PDF = b"%PDF-1.4\n" + b"0" * 64


@pytest.mark.django_db
def test_images_show_as_thumbnails_and_pdfs_as_a_framed_preview(handler_client, handler):
    complaint = make_complaint(by=handler)
    _upload(handler_client, complaint, "破损照片.png", PNG, "image/png")
    _upload(handler_client, complaint, "发票.pdf", PDF, "application/pdf")
    _upload(handler_client, complaint, "记录.txt", "客户来电记录".encode(), "text/plain")
    image, pdf, text = Attachment.objects.filter(complaint=complaint).order_by("id")

    page = handler_client.get(f"/complaints/{complaint.pk}/").content.decode()

    assert f'<img src="/attachments/{image.pk}/" alt="破损照片.png" loading="lazy">' in page
    assert f'<iframe src="/attachments/{pdf.pk}/" title="发票.pdf"' in page
    assert f'<img src="/attachments/{text.pk}/"' not in page and f'<iframe src="/attachments/{text.pk}/"' not in page
    # the frame may show the PDF: same origin only
    download = handler_client.get(f"/attachments/{pdf.pk}/")
    assert download["X-Frame-Options"] == "SAMEORIGIN"
    assert download["Content-Disposition"].startswith("inline")


@pytest.mark.django_db
def test_the_upload_field_names_what_is_accepted(handler_client, handler):
    complaint = make_complaint(by=handler)

    page = handler_client.get(f"/complaints/{complaint.pk}/").content.decode()

    assert 'accept=".amr,.csv,.doc,.docx,.gif,.jpeg,.jpg,.m4a,.mp3,.pdf,.png,.txt,.wav,.webp,.xls,.xlsx"' in page
