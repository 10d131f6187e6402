"""What a call recording may be: audio types (checked like attachments, complaints/attachments.py)."""

from __future__ import annotations

from kesu.complaints.attachments import upload_check

# extension -> content type stored and served (the formats call-centre systems export: mp3, wav,
# m4a/aac, and AMR from many Chinese telephony platforms)
RECORDING_TYPES: dict[str, str] = {
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
    ".m4a": "audio/mp4",
    ".aac": "audio/aac",
    ".amr": "audio/amr",
    ".ogg": "audio/ogg",
}


def recording_check(*, name: str, head: bytes, size: int, max_bytes: int) -> str:
    """Return the content type to store, or raise a FieldError (field ``recording``) saying what is wrong."""
    return upload_check(field="recording", name=name, head=head, size=size, max_bytes=max_bytes,
                        types=RECORDING_TYPES, what="recordings")
