"""Real MIME messages built with the stdlib email package, in the charsets Chinese mail uses."""

from __future__ import annotations

import itertools
from email import encoders
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime

from tests.factories import T0

_ids = itertools.count(1)
CUSTOMER = "wang.wei@example.cn"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64  # starts like a JPEG


def message_id() -> str:
    return f"<m{next(_ids)}.customer@example.cn>"


def sender(name: str = "王伟", address: str = CUSTOMER, charset: str = "utf-8") -> str:
    return f"{Header(name, charset).encode()} <{address}>"


def mail(
    *,
    body: str = "快递三天没到，客服态度很差，要求退款。",
    subject: str = "快递延误投诉",
    charset: str = "utf-8",
    html: str | None = None,
    from_: str | None = None,
    msgid: str | None = None,
    in_reply_to: str = "",
    references: str = "",
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, bytes, str]] = (),
    to: str = "support@centre.example",
) -> bytes:
    """A message as a mail program sends it; ``charset`` is used for the body and the headers."""
    text = MIMEText(body, "plain", charset)
    if html is not None:
        alternative = MIMEMultipart("alternative")
        alternative.attach(text)
        alternative.attach(MIMEText(html, "html", charset))
        text = alternative
    if attachments:
        message = MIMEMultipart("mixed")
        message.attach(text)
        for name, data, content_type in attachments:
            maintype, subtype = content_type.split("/")
            part = MIMEApplication(data, subtype) if maintype == "application" else MIMEBase(maintype, subtype)
            if maintype != "application":
                part.set_payload(data)
                encoders.encode_base64(part)
            part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", name))
            message.attach(part)
    else:
        message = text
    message["From"] = from_ or sender(charset=charset)
    message["To"] = to
    message["Subject"] = Header(subject, charset).encode()
    message["Date"] = format_datetime(T0)
    message["Message-ID"] = msgid or message_id()
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    for name, value in (headers or {}).items():
        message[name] = value
    return message.as_bytes()
