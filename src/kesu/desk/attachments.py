"""How the desk previews an attachment: images inline as thumbnails, PDFs in a frame. Pure."""

from __future__ import annotations

from typing import Any

PREVIEW_IMAGE = ("image/jpeg", "image/png", "image/gif", "image/webp")
PREVIEW_PDF = ("application/pdf",)


def attachment_preview_kind(content_type: str) -> str:
    if content_type in PREVIEW_IMAGE:
        return "image"
    if content_type in PREVIEW_PDF:
        return "pdf"
    return ""


def attachment_previews(attachments) -> list[dict[str, Any]]:
    return [{"attachment": a, "preview": attachment_preview_kind(a.content_type)} for a in attachments]
