"""Real servers on loopback for the notification tests: an SMTP server (aiosmtpd) and an HTTP server
that stands in for the SMS gateway's webhook."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A loopback port nobody listens on (also used as a dead server)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ReceivedEmail:
    sender: str
    recipients: list[str]
    subject: str
    body: str


class SmtpServer:
    """``with SmtpServer() as smtp:`` … ``smtp.messages``"""

    def __init__(self) -> None:
        self.messages: list[ReceivedEmail] = []
        self.port = free_port()
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        received = ReceivedEmail(
            sender=envelope.mail_from,
            recipients=list(envelope.rcpt_tos),
            subject=str(message["Subject"]),
            body=message.get_content().replace("\r\n", "\n"),
        )
        with self._lock:
            self.messages.append(received)
        return "250 Message accepted for delivery"

    def __enter__(self) -> SmtpServer:
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()


@dataclass
class ReceivedRequest:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class WebhookServer:
    """An HTTP server answering POSTs with the given statuses in turn (then 200), recording each."""

    statuses: list[int] = field(default_factory=list)
    requests: list[ReceivedRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        owner = self
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's hook name)
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with lock:
                    owner.requests.append(ReceivedRequest(self.path, dict(self.headers.items()), body))
                    status = owner.statuses.pop(0) if owner.statuses else 200
                answer = b'{"ok": true}' if status < 300 else b"gateway error"
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/sms"

    def __enter__(self) -> WebhookServer:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
