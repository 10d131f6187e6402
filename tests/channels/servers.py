"""Real mail servers on loopback for the e-mail channel tests.

``Dovecot``: Debian's dovecot-imapd started by the tests themselves (not the system service), with a
throw-away configuration, passwd-file users and maildirs in a temporary folder, plain IMAP (with
STARTTLS) and IMAPS on free loopback ports and a self-signed certificate made with openssl.
``SmtpServer``: aiosmtpd keeping every message whole, and answering with a temporary failure as
often as told.
"""

from __future__ import annotations

import email
import email.policy
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if os.path.exists("/usr/sbin/dovecot") else None)
DH_PARAMS = Path("/usr/share/dovecot/dh.pem")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, log: Path, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot exited with {process.returncode}: {_tail(log)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"dovecot did not listen on {port} within {timeout}s: {_tail(log)}")


def _tail(path: Path) -> str:
    return path.read_text(errors="replace")[-2000:] if path.exists() else "(no log)"


class Dovecot:
    """``with Dovecot() as imap:`` … ``imap.user_add("support")``, ``imap.append("support", raw)``."""

    PASSWORD = "mailbox-pass-1"

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="kesu-dovecot-"))
        os.chmod(self.dir, 0o755)  # the mail user (nobody, when the tests run as root) must reach its maildir
        self.port = free_port()
        self.tls_port = free_port()
        if os.geteuid() == 0:  # dovecot does not let root own mail: the mail user is nobody
            nobody = pwd.getpwnam("nobody")
            self.mail_uid, self.mail_gid = nobody.pw_uid, nobody.pw_gid
            self.run_as = ""
        else:  # everything runs as the current user
            self.mail_uid, self.mail_gid = os.getuid(), os.getgid()
            self.run_as = pwd.getpwuid(os.getuid()).pw_name
        self.cert = self.dir / "cert.pem"
        self.tls = self._certificate()
        self.log = self.dir / "dovecot.log"
        self.process: subprocess.Popen | None = None
        self._stderr = None
        # kesu runs with umask 077 (its files are private); dovecot's auth and mail processes run as
        # other users and must read the passwd files and reach the maildirs
        (self.dir / "users").mkdir(mode=0o755)
        (self.dir / "mail").mkdir(mode=0o755)
        os.chmod(self.dir / "users", 0o755)
        os.chmod(self.dir / "mail", 0o755)
        os.chown(self.dir / "mail", self.mail_uid, self.mail_gid)

    def _certificate(self) -> bool:
        if not shutil.which("openssl"):
            return False
        result = subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
             "-keyout", str(self.dir / "key.pem"), "-out", str(self.cert), "-days", "2", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1"],
            capture_output=True, check=False,
        )
        return result.returncode == 0

    def _config(self) -> str:
        d = self.dir
        users = ""
        if self.run_as:
            users = (f"default_internal_user = {self.run_as}\ndefault_internal_group = {self.run_as}\n"
                     f"default_login_user = {self.run_as}\n")
        if self.tls:
            ssl = f"ssl = yes\nssl_cert = <{self.cert}\nssl_key = <{d / 'key.pem'}\n"
            if DH_PARAMS.exists():
                ssl += f"ssl_dh = <{DH_PARAMS}\n"
            imaps = f"  inet_listener imaps {{\n    address = 127.0.0.1\n    port = {self.tls_port}\n    ssl = yes\n  }}\n"
        else:
            ssl, imaps = "ssl = no\n", "  inet_listener imaps {\n    port = 0\n  }\n"
        return (
            f"base_dir = {d}/run\nstate_dir = {d}/state\nlog_path = {self.log}\n"
            "protocols = imap\nlisten = 127.0.0.1\n"
            f"{users}{ssl}"
            "disable_plaintext_auth = no\nauth_mechanisms = plain login\nauth_failure_delay = 0\nfirst_valid_uid = 1\n"
            # one passwd-file per user: a user added while the server runs is read at its first login
            f"passdb {{\n  driver = passwd-file\n  args = {d}/users/%u\n}}\n"
            f"userdb {{\n  driver = passwd-file\n  args = {d}/users/%u\n}}\n"
            "mail_location = maildir:~/Maildir\n"
            # no penalty delay after a refused login (a test refuses logins on purpose)
            "service anvil {\n  chroot =\n  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n}\n"
            "service imap-login {\n  chroot =\n"
            f"  inet_listener imap {{\n    address = 127.0.0.1\n    port = {self.port}\n  }}\n{imaps}}}\n"
        )

    def start(self) -> Dovecot:
        config = self.dir / "dovecot.conf"
        config.write_text(self._config())
        os.chmod(config, 0o644)
        self._stderr = open(self.dir / "stderr", "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", str(config)], stdout=subprocess.DEVNULL,
                                        stderr=self._stderr)
        _wait_for(self.port, self.process, self.dir / "stderr")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if self._stderr is not None:
            self._stderr.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Dovecot:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def user_add(self, name: str) -> str:
        """A new mail account with an empty INBOX; returns its name."""
        home = self.dir / "mail" / name
        home.mkdir()
        os.chown(home, self.mail_uid, self.mail_gid)
        (self.dir / "users" / name).write_text(
            f"{name}:{{PLAIN}}{self.PASSWORD}:{self.mail_uid}:{self.mail_gid}::{home}\n"
        )
        os.chmod(self.dir / "users" / name, 0o644)
        return name

    def client(self, user: str) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(user, self.PASSWORD)
        return client

    def folder_create(self, user: str, encoded_name: str) -> None:
        """A folder, named in IMAP's modified UTF-7 (e.g. "&YpWLyQ-" for 投诉)."""
        client = self.client(user)
        try:
            kind, data = client.create(f'"{encoded_name}"')
            assert kind == "OK", data
        finally:
            client.logout()

    def append(self, user: str, message: bytes | EmailMessage, folder: str = "INBOX") -> int:
        """Deliver a message by IMAP APPEND (``folder`` as sent on the wire); returns its UID."""
        raw = message.as_bytes(policy=email.policy.SMTP) if isinstance(message, EmailMessage) else message
        client = self.client(user)
        try:
            kind, data = client.append(f'"{folder}"', None, None, raw)
            assert kind == "OK", data
            # "[APPENDUID <validity> <uid>] Append completed"
            return int(data[0].split(b"]")[0].split()[-1])
        finally:
            client.logout()

    def expunge_all(self, user: str) -> None:
        client = self.client(user)
        try:
            client.select("INBOX")
            client.store("1:*", "+FLAGS", "\\Deleted")
            client.expunge()
        finally:
            client.logout()


class SmtpServer:
    """aiosmtpd on loopback: ``messages`` holds every message accepted (parsed, whole); ``fail_next``
    temporary failures (451) are answered first."""

    def __init__(self, *, fail_next: int = 0) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.fail_next = fail_next
        self.attempts = 0
        self.port = free_port()
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        with self._lock:
            self.attempts += 1
            if self.fail_next > 0:
                self.fail_next -= 1
                return "451 4.3.0 Try again later"
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def __enter__(self) -> SmtpServer:
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()
