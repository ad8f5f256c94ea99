"""Email over SMTP: one connection carries a whole batch of messages (the send task's batch)."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from contract_flow.mime import OutgoingEmail
    from contract_flow.settings import Settings


class SmtpConnection:
    """An open SMTP session; `send` raises OSError (smtplib's errors are OSErrors) when a message is refused."""

    def __init__(self, client: smtplib.SMTP) -> None:
        self._client = client

    def send(self, message: OutgoingEmail) -> None:
        # What send_message does for a message whose envelope has a non-ASCII address (RFC 6531).
        options = ("SMTPUTF8", "BODY=8BITMIME") if message.international else ()
        refused = self._client.sendmail(message.sender, list(message.recipients), message.data, options)
        if refused:
            # Some recipients were refused and others accepted: report it, the row records the error.
            raise smtplib.SMTPRecipientsRefused(refused)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            self._client.quit()
        except (OSError, smtplib.SMTPException):
            self._client.close()  # the server went away: nothing left to say goodbye to


@dataclass(frozen=True)
class SmtpMailer:
    host: str
    port: int
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpMailer:
        return cls(settings.smtp_host, settings.smtp_port, settings.smtp_starttls, settings.smtp_username,
                   settings.smtp_password, settings.smtp_timeout_seconds)

    def connect(self) -> SmtpConnection:
        """Open a session; raises OSError when the server cannot be reached."""
        client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            if self.starttls:
                client.starttls()
            if self.username:
                client.login(self.username, self.password or "")
        except BaseException:
            client.close()
            raise
        return SmtpConnection(client)
