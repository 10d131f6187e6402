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
# first bytes a file of the type must start with, where the type has a signature
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "application/pdf": (b"%PDF-",),
}
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"#!")


def attachment_check(*, name: str, head: bytes, size: int, max_bytes: int) -> str:
    """Return the content type to store, or raise a FieldError that says what is wrong."""
    suffix = PurePath(name or "").suffix.lower()
    content_type = ALLOWED_TYPES.get(suffix)
    if content_type is None:
        allowed = " ".join(sorted(ALLOWED_TYPES))
        raise FieldError("file", f"files of type {suffix or '(none)'!r} are not accepted; allowed: {allowed}")
    if size == 0:
        raise FieldError("file", f"{name} is empty")
    if size > max_bytes:
        raise FieldError(
            "file", f"{name} is {size / 1048576:.1f} MB; the limit is {max_bytes / 1048576:.0f} MB"
        )
    if head.startswith(EXECUTABLE_SIGNATURES):
        raise FieldError("file", f"{name} looks like a program, not a {suffix} file")
    signatures = SIGNATURES.get(content_type)
    if signatures and not head.startswith(signatures):
        raise FieldError("file", f"{name} does not look like a {suffix} file")
    return content_type
