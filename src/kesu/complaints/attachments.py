"""What an attachment may be: type and size rules. Pure."""

from __future__ import annotations

from pathlib import PurePath

from kesu.core.errors import FieldError

# extension -> content type stored and served
ALLOWED_TYPES: dict[str, str] = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
    ".m4a": "audio/mp4",
    ".amr": "audio/amr",
}
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"#!")


def _looks_like(content_type: str, head: bytes) -> bool | None:
    """Whether the first bytes fit the type; None for a type without a signature (office files, text)."""
    match content_type:
        case "image/jpeg":
            return head.startswith(b"\xff\xd8\xff")
        case "image/png":
            return head.startswith(b"\x89PNG\r\n\x1a\n")
        case "image/gif":
            return head.startswith((b"GIF87a", b"GIF89a"))
        case "image/webp":
            return head.startswith(b"RIFF") and head[8:12] == b"WEBP"
        case "application/pdf":
            return head.startswith(b"%PDF-")
        case "audio/mpeg":  # an ID3 tag, or an MPEG audio frame sync
            return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)
        case "audio/wav":
            return head.startswith(b"RIFF") and head[8:12] == b"WAVE"
        case "audio/mp4":
            return head[4:8] == b"ftyp"
        case "audio/aac":  # ADTS frames, or an ID3 tag before them
            return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0)
        case "audio/amr":
            return head.startswith((b"#!AMR\n", b"#!AMR-WB\n"))
        case "audio/ogg":
            return head.startswith(b"OggS")
    return None


def upload_check(*, field: str, name: str, head: bytes, size: int, max_bytes: int, types: dict[str, str],
                 what: str = "files") -> str:
    """Return the content type to store for an upload, or raise a FieldError (naming ``field``) that says
    what is wrong: a type not in ``types`` (extension → content type), empty, too big, a program, or
    first bytes that do not fit the type."""
    suffix = PurePath(name or "").suffix.lower()
    content_type = types.get(suffix)
    if content_type is None:
        allowed = " ".join(sorted(types))
        raise FieldError(field, f"{what}.type", suffix=suffix or "—", allowed=allowed)
    if size == 0:
        raise FieldError(field, "attachment.empty", name=name)
    if size > max_bytes:
        raise FieldError(field, "attachment.too_large", name=name, size=f"{size / 1048576:.1f}", limit=f"{max_bytes / 1048576:.0f}")
    fits = _looks_like(content_type, head)
    # an AMR recording starts with "#!AMR", like a script's "#!"
    if head.startswith(EXECUTABLE_SIGNATURES) and not fits:
        raise FieldError(field, "attachment.program", name=name, suffix=suffix)
    if fits is False:
        raise FieldError(field, "attachment.mismatch", name=name, suffix=suffix)
    return content_type


def attachment_check(*, name: str, head: bytes, size: int, max_bytes: int) -> str:
    """Return the content type to store, or raise a FieldError that says what is wrong."""
    return upload_check(field="file", name=name, head=head, size=size, max_bytes=max_bytes, types=ALLOWED_TYPES)
