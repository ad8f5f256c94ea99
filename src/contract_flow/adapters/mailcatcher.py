"""A local SMTP server for the embedded default: every email is kept as a .eml file instead of leaving the
machine, so a CFA trying contract-flow sees what its people would receive."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class _SaveToFolder:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        ident = re.sub(r"[^A-Za-z0-9]+", "", str(message.get("Message-ID", "")))[:40] or f"message{self.count}"
        self.count += 1
        (self.folder / f"{ident}.eml").write_bytes(envelope.content)
        return "250 kept"


class MailCatcher:
    def __init__(self, folder: Path, host: str, port: int) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self._controller = Controller(_SaveToFolder(folder), hostname=host, port=port, server_hostname="localhost")

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()
