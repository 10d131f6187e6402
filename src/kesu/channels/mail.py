"""Reading an e-mail message: headers, text, attachments, threading ids, auto-replies. Pure.

Chinese mail arrives in GB2312 / GBK / GB18030 / Big5 as often as in UTF-8, frequently mislabelled
(GBK text labelled gb2312, headers in raw 8-bit). Every declared charset is read through a superset
(gb2312 and gbk as gb18030, big5 as big5hkscs) and a body that does not decode as declared is tried
in the usual Chinese charsets before characters are replaced. Nothing here touches the database.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.header import decode_header
from email.message import Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from html.parser import HTMLParser

# ---- charsets ---------------------------------------------------------------------------------

# a declared charset → the codecs to try, widest first
_SUPERSETS: dict[str, tuple[str, ...]] = {
    "gb2312": ("gb18030",),
    "gbk": ("gb18030",),
    "x-gbk": ("gb18030",),
    "cp936": ("gb18030",),
    "ms936": ("gb18030",),
    "euc-cn": ("gb18030",),
    "x-euc-cn": ("gb18030",),
    "gb18030": ("gb18030",),
    "big5": ("big5hkscs", "cp950"),
    "x-big5": ("big5hkscs", "cp950"),
    "big5-hkscs": ("big5hkscs", "cp950"),
    "cp950": ("cp950", "big5hkscs"),
    "us-ascii": ("utf-8",),  # 8-bit text labelled ascii is usually UTF-8
    "ascii": ("utf-8",),
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# what undeclared or wrongly declared text is tried as, in order
_GUESSES = ("utf-8", "gb18030", "big5hkscs")


def _codecs(charset: str | None) -> list[str]:
    name = (charset or "").strip().strip('"').lower()
    declared = list(_SUPERSETS.get(name, (name,) if name else ()))
    return declared + [guess for guess in _GUESSES if guess not in declared]


def bytes_decode(data: bytes, charset: str | None = None) -> str:
    """Decode ``data`` declared as ``charset``; a wrong or missing declaration falls back to UTF-8,
    GB18030 and Big5; only then are undecodable bytes replaced."""
    codecs = _codecs(charset)
    for codec in codecs:
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    for codec in codecs:
        try:
            return data.decode(codec, errors="replace")
        except LookupError:
            continue
    return data.decode("utf-8", errors="replace")


def header_decode(value: object) -> str:
    """An RFC 2047 header (``=?GBK?B?…?=``), or a raw 8-bit one, as text on one line."""
    if value is None:
        return ""
    text = str(value)
    if any("\udc80" <= ch <= "\udcff" for ch in text):  # raw 8-bit bytes kept by the parser
        text = bytes_decode(text.encode("ascii", "surrogateescape"))
    try:
        parts = decode_header(text)
    except Exception:  # a malformed encoded word: keep the header as it came
        parts = [(text, None)]
    decoded = "".join(
        bytes_decode(chunk, charset) if isinstance(chunk, bytes) else chunk for chunk, charset in parts
    )
    return " ".join(_CONTROL.sub("", decoded).split())  # no NUL: PostgreSQL cannot store it


# ---- HTML to text -----------------------------------------------------------------------------

_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "fieldset", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "table", "tr", "ul",
})
_SKIP = frozenset({"script", "style", "head", "title", "template", "noscript", "object", "iframe", "svg"})


class _TextExtractor(HTMLParser):
    """Text of an HTML body: scripts and styles dropped, blocks and <br> as line breaks, quoted
    blocks (<blockquote>) prefixed with "> " so quote trimming treats them like quoted text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping = 0
        self.quote_depth = 0
        self.line_depth = 0

    def _break(self, *, force: bool = False) -> None:
        """End the current line. Blocks end lines but add no blank ones (Gmail writes a <div> and
        Outlook a <p> per line); a blank line comes from a <br> or a block holding only &nbsp;."""
        raw = "".join(self.current)
        if force or raw.strip(" \t\r\n"):
            line = " ".join(raw.split())
            self.lines.append(("> " * self.line_depth) + line if line else "")
        self.current = []
        self.line_depth = self.quote_depth

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag == "br":
            self._break(force=True)
        elif tag in _BLOCK:
            self._break()
            if tag == "blockquote":
                self.quote_depth += 1
                self.line_depth = self.quote_depth
            elif tag == "li":
                self.current.append("- ")
            elif tag == "hr":
                self.lines.append("")
        elif tag in ("td", "th"):
            self.current.append(" ")

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _SKIP:
            self.skipping = max(self.skipping - 1, 0)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(self.skipping - 1, 0)
        elif tag in _BLOCK:
            self._break()
            if tag == "blockquote":
                self.quote_depth = max(self.quote_depth - 1, 0)
                self.line_depth = self.quote_depth

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)

    def text(self) -> str:
        self._break()
        return text_tidy("\n".join(self.lines))


def html_to_text(html: str) -> str:
    """Safe plain text of an HTML body (no markup survives: the result is shown as text)."""
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser is lenient; if it gives up, keep what it had read
        pass
    return parser.text()


def text_tidy(text: str) -> str:
    """Unix line ends, no control characters, no trailing spaces, at most one blank line in a row."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " "))
    lines = [line.rstrip() for line in text.split("\n")]
    tidy: list[str] = []
    for line in lines:
        if not line and (not tidy or not tidy[-1]):
            continue
        tidy.append(line)
    return "\n".join(tidy).strip("\n")


# ---- quoted history ---------------------------------------------------------------------------

_CUT_LINE = [
    re.compile(r"^\s*-{2,}\s*(original message|原始邮件|原始郵件)\s*-{2,}\s*$", re.IGNORECASE),
    re.compile(r"^\s*在.{1,200}写道\s*[:：]\s*$"),
    re.compile(r"^\s*在.{1,200}寫道\s*[:：]\s*$"),
    re.compile(r"^\s*On\b.{1,300}\bwrote\s*:\s*$", re.IGNORECASE | re.DOTALL),
]
_OUTLOOK_FROM = re.compile(r"^\s*\*?(from|发件人|寄件者)\s*\*?\s*[:：]", re.IGNORECASE)
_OUTLOOK_SENT = re.compile(r"^\s*\*?(sent|date|发送时间|日期|寄件日期)\s*\*?\s*[:：]", re.IGNORECASE)
_RULE = re.compile(r"^\s*[_\-=*]{5,}\s*$")


def _cut_at(lines: list[str]) -> int | None:
    for index, line in enumerate(lines):
        joined = line + " " + lines[index + 1] if index + 1 < len(lines) else line
        if any(p.match(line) for p in _CUT_LINE):
            return index
        # "On Mon, 2 Mar 2026 at 09:00, Wang <wang@\nexample.com> wrote:" wraps over two lines
        if line.lstrip().lower().startswith("on ") and _CUT_LINE[3].match(joined):
            return index
        if _OUTLOOK_FROM.match(line) and any(_OUTLOOK_SENT.match(nxt) for nxt in lines[index + 1:index + 5]):
            return index
    return None


def quote_trim(text: str) -> str:
    """The new part of a message: quoted lines ("> …") dropped, and everything from the start of the
    quoted history ("-----Original Message-----", "在 … 写道：", "On … wrote:", an Outlook
    "From: … Sent: …" block) cut. A message that is all quotation is returned whole."""
    lines = text.split("\n")
    cut = _cut_at(lines)
    if cut is not None:
        lines = lines[:cut]
    kept = [line for line in lines if not line.lstrip().startswith(">")]
    while kept and (not kept[-1].strip() or _RULE.match(kept[-1])):
        kept.pop()
    trimmed = text_tidy("\n".join(kept))
    return trimmed if trimmed.strip() else text_tidy(text)


# ---- complaint numbers ------------------------------------------------------------------------

_NUMBER = re.compile(r"\bKS-(\d{4})-(\d{6,})\b", re.IGNORECASE)
_REPLY_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|sv|答复|回复|回覆|转发|轉寄|转寄)\s*(\[\d+\])?\s*[:：]\s*)+", re.IGNORECASE)


def complaint_number_find(subject: str) -> str:
    """The complaint number (``KS-2026-000123``) named in a subject, or ""."""
    match = _NUMBER.search(subject or "")
    return f"KS-{match.group(1)}-{match.group(2)}" if match else ""


def subject_base(subject: str) -> str:
    """A subject without its "Re:" / "Fwd:" / "回复：" prefixes and complaint-number tags."""
    text = _REPLY_PREFIX.sub("", subject or "")
    text = re.sub(r"\[\s*KS-\d{4}-\d{6,}\s*\]", "", text, flags=re.IGNORECASE)
    return " ".join(_REPLY_PREFIX.sub("", text).split())


# ---- auto-replies and bounces -----------------------------------------------------------------

# not "list": a support address run as a mailing list (a Google group) marks every customer's mail so
_BULK_PRECEDENCE = frozenset({"bulk", "junk", "auto_reply", "auto-reply"})
_SYSTEM_SENDERS = frozenset({"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"})
# only the fixed prefixes mail programs put before the subject of an automatic reply ("Undeliverable"
# or "退信" could begin a customer's own subject: bounces are told by their headers and sender)
_AUTO_SUBJECT = re.compile(
    r"^\s*(自动回复|自動回覆|自动答复|auto(matic)?[ -]?reply|out of (the )?office)\s*[:：]", re.IGNORECASE
)


def auto_reply_reason(message: Message, *, from_address: str = "", subject: str = "") -> str:
    """Why ``message`` is an automatic reply or a bounce (empty when a person wrote it)."""
    auto_submitted = (message.get("Auto-Submitted") or "").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Auto-Reply"):
        if message.get(name) is not None and (message.get(name) or "").strip().lower() not in ("no", "false", "0"):
            return f"{name} header"
    precedence = (message.get("Precedence") or "").strip().lower()
    if precedence in _BULK_PRECEDENCE:
        return f"Precedence: {precedence}"
    return_path = message.get("Return-Path")
    if return_path is not None and return_path.strip() in ("<>", ""):
        return "empty Return-Path (a delivery report)"
    if message.get_content_type() == "multipart/report":
        report = message.get_param("report-type") or "report"
        return f"multipart/report ({report})"
    if message.get("X-Failed-Recipients"):
        return "X-Failed-Recipients header (a bounce)"
    local = from_address.split("@", 1)[0].lower()
    if local in _SYSTEM_SENDERS:
        return f"sent by {local}"
    if _AUTO_SUBJECT.match(subject or ""):
        return f"subject {subject[:60]!r} is an automatic reply"
    return ""


# ---- the message ------------------------------------------------------------------------------


class _RawHeaders(email.policy.Compat32):
    """compat32, but a header holding raw 8-bit bytes is given as it came (with surrogate escapes)
    for :func:`header_decode` to read, not turned into replacement characters."""

    def header_fetch_parse(self, name, value):
        return value


_POLICY = _RawHeaders()

_ID = re.compile(r"<([^<>\s]+)>")
MAX_ID = 255


class MailParseError(ValueError):
    """The message cannot be taken in; the text says why."""


@dataclass(frozen=True)
class MailAttachment:
    name: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class ParsedMessage:
    message_id: str  # without angle brackets; a digest of the message when it has none
    message_id_missing: bool
    in_reply_to: str
    references: tuple[str, ...]  # oldest first
    from_address: str  # lower case
    from_name: str
    to: tuple[str, ...]
    subject: str
    date: datetime | None
    text: str  # the new part, quoted history trimmed
    full_text: str  # the whole body as text
    attachments: tuple[MailAttachment, ...] = ()
    auto_reason: str = ""  # non-empty: an automatic reply or a bounce
    number: str = ""  # the complaint number named in the subject

    def thread_ids(self) -> list[str]:
        """The ids this message answers, the most direct first (In-Reply-To, then References from
        the newest)."""
        ids = [self.in_reply_to] if self.in_reply_to else []
        ids += [ref for ref in reversed(self.references) if ref not in ids]
        return ids


def message_id_normalise(value: str) -> str:
    """``<abc@host>`` → ``abc@host``; an id too long for the column is replaced by its digest."""
    match = _ID.search(value or "")
    found = _CONTROL.sub("", match.group(1) if match else (value or "").strip())
    if len(found) > MAX_ID:
        return "sha256:" + hashlib.sha256(found.encode("utf-8", "surrogateescape")).hexdigest()
    return found


def ids_find(value: str) -> list[str]:
    return [message_id_normalise(f"<{found}>") for found in _ID.findall(value or "")]


def _is_attachment(part: Message) -> bool:
    """Anything but an inline text/plain or text/html part without a file name."""
    disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
    if disposition == "attachment" or part.get_filename() or part.get_param("name"):
        return True
    return part.get_content_type() not in ("text/plain", "text/html")


def _payload(part: Message) -> bytes:
    data = part.get_payload(decode=True)
    if isinstance(data, bytes):
        return data
    payload = part.get_payload()
    if isinstance(payload, str):
        return payload.encode("utf-8", "surrogateescape")
    if isinstance(payload, list):  # message/rfc822: keep the enclosed message as bytes
        return b"".join(p.as_bytes() if isinstance(p, Message) else b"" for p in payload)
    return b""


def _attachment_name(part: Message, index: int) -> str:
    raw = part.get_filename() or part.get_param("name") or ""
    if isinstance(raw, tuple):  # RFC 2231 value not decoded by the parser
        raw = email.utils.collapse_rfc2231_value(raw)
    name = header_decode(raw).replace("/", "_").replace("\\", "_").strip()
    if not name:
        subtype = part.get_content_subtype() or "bin"
        name = f"attachment-{index}.{'eml' if part.get_content_type() == 'message/rfc822' else subtype}"
    return name[:200]


def _text_of(part: Message) -> str:
    return bytes_decode(_payload(part), part.get_content_charset())


def _bodies(message: Message) -> tuple[str, list[MailAttachment]]:
    """The text (plain parts, else the HTML ones as text) and the attachments. A message forwarded as
    an attachment (message/rfc822) is walked into: its text joins the body, its files the attachments."""
    plain: list[str] = []
    html: list[str] = []
    attachments: list[MailAttachment] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        if _is_attachment(part):
            attachments.append(
                MailAttachment(_attachment_name(part, len(attachments) + 1), part.get_content_type(), _payload(part))
            )
        elif part.get_content_type() == "text/html":
            html.append(html_to_text(_text_of(part)))
        else:
            plain.append(text_tidy(_text_of(part)))
    text = "\n\n".join(p for p in plain if p.strip())
    if not text.strip():
        text = "\n\n".join(h for h in html if h.strip())
    return text, attachments


def _date(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def headers_peek(raw: bytes) -> dict[str, str]:
    """What can be read of a message that cannot be taken in (for the failed list). Never raises."""
    try:
        message = email.message_from_bytes(raw or b"", policy=_POLICY)
        _name, address = parseaddr(str(message.get("From", "")))
        return {
            "from_address": header_decode(address).strip().lower()[:254],
            "subject": header_decode(message.get("Subject", ""))[:500],
            "message_id": message_id_normalise(str(message.get("Message-ID", ""))),
        }
    except Exception:
        return {"from_address": "", "subject": "", "message_id": ""}


def mail_parse(raw: bytes) -> ParsedMessage:
    """Read one message as fetched from the server. Raises :class:`MailParseError` with the reason
    when it cannot become a complaint or a reply (no headers, no sender address)."""
    if not raw or not raw.strip():
        raise MailParseError("the message is empty")
    try:
        message = email.message_from_bytes(raw, policy=_POLICY)
    except Exception as error:  # the parser is lenient; anything it raises is a broken message
        raise MailParseError(f"the message cannot be parsed: {type(error).__name__}: {error}") from error
    if not message.keys():
        raise MailParseError("the message has no headers")
    raw_name, address = parseaddr(str(message.get("From", "")))
    address = header_decode(address).strip().lower()
    if "@" not in address or " " in address:
        found = message.get("From")
        raise MailParseError(
            "the message has no sender address (From header)" if not found
            else f"the sender {header_decode(found)!r} is not an e-mail address"
        )
    subject = header_decode(message.get("Subject", ""))
    try:
        full_text, attachments = _bodies(message)
    except Exception as error:
        raise MailParseError(f"the body cannot be read: {type(error).__name__}: {error}") from error
    message_id = message_id_normalise(str(message.get("Message-ID", "")))
    missing = not message_id
    if missing:  # the same message fetched twice gets the same id
        digest = hashlib.sha256()
        for name in ("From", "Date", "Subject", "To"):
            digest.update(str(message.get(name, "")).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(full_text.encode("utf-8", "surrogateescape"))
        message_id = f"{digest.hexdigest()}@missing-message-id.kesu"
    in_reply_to = ids_find(str(message.get("In-Reply-To", "")))
    references = tuple(ids_find(" ".join(str(v) for v in message.get_all("References", []))))
    recipients = getaddresses([header_decode(v) for v in message.get_all("To", []) + message.get_all("Cc", [])])
    return ParsedMessage(
        message_id=message_id,
        message_id_missing=missing,
        in_reply_to=in_reply_to[0] if in_reply_to else "",
        references=references,
        from_address=address,
        from_name=header_decode(raw_name).strip().strip('"'),
        to=tuple(addr.lower() for _n, addr in recipients if addr),
        subject=subject,
        date=_date(str(message.get("Date", ""))),
        text=quote_trim(full_text),
        full_text=full_text,
        attachments=tuple(attachments),
        auto_reason=auto_reply_reason(message, from_address=address, subject=subject),
        number=complaint_number_find(subject),
    )
