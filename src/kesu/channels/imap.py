"""Reading a mailbox folder over IMAP (stdlib imaplib): TLS, STARTTLS or plain (loopback only).

The folder is opened read-only: kesu never changes flags or deletes mail, it remembers the last UID
it took in. Every failure to reach or read the server is a :class:`MailboxUnavailable`.
"""

from __future__ import annotations

import base64
import imaplib
import re
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

TIMEOUT_SECONDS = 30
_SIZE = re.compile(rb"UID (\d+) RFC822\.SIZE (\d+)|RFC822\.SIZE (\d+) UID (\d+)")


class MailboxUnavailable(Exception):
    """The server cannot be reached, refused the login, or answered something unusable."""


@dataclass(frozen=True)
class ImapAccount:
    host: str
    port: int
    security: str  # ssl | starttls | none
    username: str
    password: str
    folder: str = "INBOX"
    ca_file: str = ""


def _context(ca_file: str) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=ca_file or None)


def folder_encode(name: str) -> str:
    """A folder name in IMAP's modified UTF-7 (RFC 3501 §5.1.3): "投诉" → "&YpWL6Q-"."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            encoded = base64.b64encode("".join(pending).encode("utf-16-be")).decode("ascii")
            out.append("&" + encoded.rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    return "".join(out)


def _quoted(folder: str) -> str:
    encoded = folder_encode(folder)
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


class ImapFolder:
    """One selected folder of a logged-in session."""

    def __init__(self, client: imaplib.IMAP4, uid_validity: int, where: str) -> None:
        self.client = client
        self.uid_validity = uid_validity
        self.where = where

    def _command(self, what: str, *args):
        try:
            kind, data = self.client.uid(*args)
        except ssl.SSLError as error:
            raise MailboxUnavailable(f"{what} on {self.where}: TLS failed: {error}") from error
        except (OSError, imaplib.IMAP4.error) as error:
            raise MailboxUnavailable(f"{what} on {self.where} failed: {_text(error)}") from error
        if kind != "OK":
            raise MailboxUnavailable(f"{what} on {self.where} failed: {data!r}")
        return data

    def uids_after(self, last_uid: int) -> list[int]:
        """UIDs above ``last_uid``, lowest first (``n:*`` also matches the highest UID: filtered)."""
        data = self._command("UID SEARCH", "SEARCH", None, "UID", f"{last_uid + 1}:*")
        found = b" ".join(part for part in data if part).split()
        return sorted(uid for uid in (int(x) for x in found) if uid > last_uid)

    def sizes(self, uids: list[int]) -> dict[int, int]:
        if not uids:
            return {}
        data = self._command("UID FETCH (sizes)", "FETCH", ",".join(map(str, uids)), "(RFC822.SIZE)")
        sizes: dict[int, int] = {}
        for item in data:
            line = item[0] if isinstance(item, tuple) else item
            match = _SIZE.search(line or b"")
            if match:
                uid, size = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
                sizes[int(uid)] = int(size)
        return sizes

    def fetch(self, uid: int) -> bytes:
        """The whole message; BODY.PEEK leaves its \\Seen flag alone."""
        data = self._command(f"UID FETCH {uid}", "FETCH", str(uid), "(BODY.PEEK[])")
        for item in data:
            if isinstance(item, tuple) and len(item) == 2:
                return item[1]
        raise MailboxUnavailable(f"UID FETCH {uid} on {self.where} returned no message (expunged meanwhile?)")


def _connect(account: ImapAccount) -> imaplib.IMAP4:
    if account.security == "ssl":
        return imaplib.IMAP4_SSL(
            account.host, account.port, ssl_context=_context(account.ca_file), timeout=TIMEOUT_SECONDS
        )
    client = imaplib.IMAP4(account.host, account.port, timeout=TIMEOUT_SECONDS)
    if account.security == "starttls":
        try:
            client.starttls(ssl_context=_context(account.ca_file))
        except BaseException:
            client.shutdown()
            raise
    return client


def _open(account: ImapAccount) -> tuple[imaplib.IMAP4, int]:
    """Connect, log in and select the folder read-only; every failure is a MailboxUnavailable."""
    where = f"{account.host}:{account.port}"
    client = None
    try:
        client = _connect(account)
        try:
            client.login(account.username, account.password)
        except imaplib.IMAP4.error as error:
            raise MailboxUnavailable(f"login as {account.username} refused: {_text(error)}") from error
        kind, data = client.select(_quoted(account.folder), readonly=True)
        if kind != "OK":
            answer = b" ".join(d for d in data if isinstance(d, bytes)).decode(errors="replace")
            raise MailboxUnavailable(f"folder {account.folder!r} cannot be opened: {answer}")
        validity = client.response("UIDVALIDITY")[1]
        if not validity or not validity[0]:
            raise MailboxUnavailable(f"the server gave no UIDVALIDITY for {account.folder!r}")
        return client, int(validity[0])
    except Exception as error:
        if client is not None:
            _logout(client)
        if isinstance(error, MailboxUnavailable):
            raise
        if isinstance(error, ssl.SSLError):
            raise MailboxUnavailable(f"TLS with {where} failed: {error}") from error
        if isinstance(error, OSError):
            raise MailboxUnavailable(f"{where} cannot be reached: {error}") from error
        if isinstance(error, imaplib.IMAP4.error):
            raise MailboxUnavailable(f"IMAP error from {where}: {_text(error)}") from error
        raise


def _logout(client: imaplib.IMAP4) -> None:
    try:
        client.logout()
    except Exception:  # the connection may be gone already
        pass


@contextmanager
def imap_folder(account: ImapAccount) -> Iterator[ImapFolder]:
    """Log in, select the folder read-only, yield it; always log out. Errors of the caller's own
    work inside the block pass through unchanged."""
    client, validity = _open(account)
    try:
        yield ImapFolder(client, validity, f"{account.host}:{account.port}")
    finally:
        _logout(client)


def _text(error: object) -> str:
    text = str(error)
    if text.startswith("b'") or text.startswith('b"'):
        text = text[2:-1]
    return text
