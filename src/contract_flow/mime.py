"""Outgoing email written straight to bytes, with the standard library's encoders and none of its object model.

`email.message.EmailMessage` under `email.policy.default` parses every header it is given back into objects and
refolds them all on output: about 5 ms a reminder, forty times the rendering of its templates, and most of the
worker's time (bench/reminders.py, part b); its older compat32 API (`email.mime` with `email.header.Header`)
takes 0.43 ms, against 0.13 ms here, which decides whether delivery keeps up with bare Celery tasks on a
2-core machine. Reminders have one fixed shape, so they are written directly:

- headers: printable ASCII as given (folded at spaces past 78 characters), anything else as RFC 2047 encoded
  words in UTF-8 (base64), leading blanks dropped as a reader drops them; in address headers only the display
  name is encoded (`email.utils.formataddr`), never the address, and an ASCII name that is not plain words is
  quoted;
- text and HTML: UTF-8, quoted-printable (`binascii.b2a_qp`: lines of at most 76 characters), every line end
  (CRLF, CR, LF) a line break and a last one added, as `EmailMessage.set_content` does;
- attachments: base64, their parameters (the file name) in RFC 2231 when not ASCII;
- every line ends in CRLF (RFC 5322), as SMTP carries it.

tests/unit/messages/test_mime_properties.py proves it (hypothesis: any Unicode names, subjects, bodies and
attachments): what is written here parses, with the standard library's parser, to the same headers, parts and
attachments as the standard library's own `EmailMessage` for the same input, or to exactly the input where the
standard library's does not.

An address that is not ASCII (RFC 6531) is written in UTF-8 and the email marked `international`: the SMTP
session then asks for SMTPUTF8, as smtplib's `send_message` does.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import encode_rfc2231, formataddr, getaddresses
from functools import lru_cache

CRLF = "\r\n"
#: RFC 5322 2.1.1: lines SHOULD be at most 78 characters.
LINE = 78


@dataclass(frozen=True)
class Attachment:
    content_type: str
    data: bytes
    filename: str
    #: Content-Type parameters besides the type, e.g. (("method", "REQUEST"), ("charset", "utf-8")).
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class OutgoingEmail:
    """A message ready for SMTP: its envelope and its bytes."""

    sender: str
    recipients: tuple[str, ...]  # To, then Cc: the envelope's RCPT TO
    message_id: str
    data: bytes
    international: bool = False  # an address is not ASCII: the session must offer SMTPUTF8

    def parsed(self) -> EmailMessage:
        """The message as a mail client reads it (the standard library's parser, line ends as Python's "\\n")."""
        return email.message_from_bytes(self.data.replace(b"\r\n", b"\n"), policy=email.policy.default)


def header(name: str, value: str) -> str:
    """One header line (without its line end), its value encoded and folded as needed."""
    if "\r" in value or "\n" in value:
        raise ValueError(f"{name}: a header value may not contain a line break")
    # Leading blanks are folding white space to a reader: the standard library drops them, and so do we, rather
    # than keep them inside an encoded word where only our messages would show them.
    value = value.lstrip(" \t")
    if value.isascii() and value.isprintable() and "=?" not in value:
        return _fold(name, value)
    return _encoded_words(name, value)


def _encoded_words(name: str, value: str) -> str:
    """The value as RFC 2047 encoded words ("=?utf-8?b?...?="), one per line of at most 76 characters, each
    holding whole characters (a decoder joins adjacent words without the folding space between them).

    `email.header.Header` writes the same, but measures the value in both encodings character by character to
    pick the shorter: a tenth of a millisecond for a subject, more than the rest of the headers together."""
    data = value.encode("utf-8")
    words: list[str] = []
    room = LINE - 2 - len(name) - 2  # 76 on a line with encoded words (RFC 2047 2), after "Name: "
    start = 0
    while start < len(data):
        # base64 writes 4 characters for 3 bytes; "=?utf-8?b?" and "?=" take 12.
        end = min(start + max(6, (room - 12) // 4 * 3), len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # not inside a character's UTF-8 bytes
            end -= 1
        words.append(f"=?utf-8?b?{base64.b64encode(data[start:end]).decode('ascii')}?=")
        start, room = end, LINE - 2 - 1  # a continuation line starts with a space
    return f"{name}: " + f"{CRLF} ".join(words)


def _fold(name: str, value: str) -> str:
    """A long ASCII header folded before spaces (RFC 5322 2.2.3); a word longer than a line (an idempotency
    key) stays whole, so that it can be found in mail logs."""
    if len(name) + 2 + len(value) <= LINE:
        return f"{name}: {value}"
    words = value.split(" ")
    lines, current = [], f"{name}: {words[0]}"
    for word in words[1:]:
        if word and len(current) + 1 + len(word) > LINE:
            lines.append(current)
            current = " " + word
        else:
            current += " " + word
    return CRLF.join([*lines, current])


def addresses(text: str) -> tuple[tuple[str, str], ...]:
    """(display name, address) of each address in a header value ("Name <a@b>, c@d")."""
    if _BARE_ADDRESS.fullmatch(text):
        return (("", text),)  # a recipient's address: nothing to parse
    return _parsed_addresses(text)


_BARE_ADDRESS = re.compile(r'[^\s<>()\[\],;:\\"@]+@[^\s<>()\[\],;:\\"@]+')


@lru_cache(maxsize=64)
def _parsed_addresses(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(pair for pair in getaddresses([text]) if pair[1])


@lru_cache(maxsize=256)  # the sender's is the same in every email
def _address_header(name: str, pairs: tuple[tuple[str, str], ...]) -> tuple[str, bool]:
    """An address header, and whether it had to be written in UTF-8 (a non-ASCII address)."""
    if not all(address.isascii() for _, address in pairs):
        return f"{name}: {', '.join(f'{n} <{a}>' if n else a for n, a in pairs)}", True
    if any(not display.isascii() and _COLLAPSED.search(display) for display, _ in pairs):
        # Rare (a double space in a non-ASCII name): the standard library writes it, parts encoded and parts not.
        value = ", ".join(f'"{_quoted(display)}" <{address}>' if display else address for display, address in pairs)
        return email.policy.SMTP.fold(*email.policy.SMTP.header_store_parse(name, value)).removesuffix(CRLF), False
    written = [_mailbox(*pair) for pair in pairs]
    line = f"{name}: {', '.join(written)}"
    if len(line) > LINE:
        line = f"{name}: {f',{CRLF} '.join(written)}"
    return line, False


_LINE_END = re.compile(r"\r\n?")


# A display name that reads back as written without quotes: atoms (RFC 5322 3.2.3) separated by single spaces.
_ATOMS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?: [A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")


# Inside an encoded word, a reader (the standard library's parser) turns a run of white space that starts with a
# space or a tab into one space: a display name with such a run cannot be one encoded word.
_COLLAPSED = re.compile(r"[ \t]\s|\t")


def _mailbox(name: str, address: str) -> str:
    """ "Name <address>": a non-ASCII name as an encoded word (`formataddr`), an ASCII one as atoms or else as a
    quoted string, so that a reader gets the name back with its spaces, quotes and commas (`formataddr` would
    leave "Léa  Martin" unquoted, and a reader would collapse its double space)."""
    if not name:
        return address
    if not name.isascii():
        return formataddr((name, address))
    if _ATOMS.fullmatch(name) and "=?" not in name:
        return f"{name} <{address}>"
    return f'"{_quoted(name)}" <{address}>'


def _quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _qp(text: str) -> bytes:
    """Text as lines (CRLF, a lone CR and a lone LF all end a line) ending in a line break, as
    `EmailMessage.set_content` writes it, in UTF-8 quoted-printable."""
    lines = _LINE_END.sub("\n", text) if "\r" in text else text
    if not lines.endswith("\n"):
        lines += "\n"
    encoded = binascii.b2a_qp(lines.encode("utf-8"), istext=True)
    return encoded.replace(b"\n", b"\r\n")


def _part(content_type: str, encoding: str, body: bytes, *extra: str) -> bytes:
    lines = [f"Content-Type: {content_type}", f"Content-Transfer-Encoding: {encoding}", *extra]
    return (CRLF.join(lines) + CRLF + CRLF).encode("ascii") + body


def _multipart(subtype: str, parts: Sequence[bytes]) -> tuple[str, bytes]:
    """The Content-Type line and the body of a multipart entity."""
    # "=_" never occurs in quoted-printable ("=" is always followed by two hex digits or a line end) nor in
    # base64, the only encodings written here (RFC 2045 6.7): such a boundary cannot collide with a part's text,
    # and a nested multipart's boundary differs from its parent's by its random part.
    boundary = f"=_{uuid.uuid4().hex}".encode("ascii")
    delimiter = b"--" + boundary + b"\r\n"
    body = b"".join(delimiter + part + b"\r\n" for part in parts) + b"--" + boundary + b"--\r\n"
    return f'Content-Type: multipart/{subtype};{CRLF} boundary="{boundary.decode()}"', body


def _parameter(key: str, value: str) -> str:
    """`; key="value"`, or RFC 2231's `; key*=utf-8''%C3%A9...` for a value that is not ASCII."""
    if value.isascii() and value.isprintable():
        return f'; {key}="{_quoted(value)}"'
    return f"; {key}*={encode_rfc2231(value, 'utf-8')}"


def _attachment(item: Attachment) -> bytes:
    params = "".join(_parameter(key, value) for key, value in item.params)
    return _part(f"{item.content_type}{params}", "base64",
                 base64.encodebytes(item.data).replace(b"\n", b"\r\n"),
                 f"Content-Disposition: attachment{_parameter('filename', item.filename)}")


def compose(*, sender: str, to: str, cc: str | None, subject: str, message_id: str,
            headers: Sequence[tuple[str, str]], text: str, html: str,
            attachments: Sequence[Attachment] = ()) -> OutgoingEmail:
    """A text and HTML email (multipart/alternative), in multipart/mixed with its attachments if any.

    `sender` and `to`, `cc` are header values ("Name <address>"); `headers` are written after From, To, Cc,
    Subject and Message-ID, in their order."""
    if any("\r" in value or "\n" in value for value in (sender, to, cc or "")):
        raise ValueError("an address header may not contain a line break")
    origin, recipients, copied = addresses(sender), addresses(to), addresses(cc or "")
    if len(origin) != 1 or not recipients:
        raise ValueError(f"an email needs one sender and a recipient: {sender!r} to {to!r}")
    lines: list[str] = []
    international = False
    for name, pairs in (("From", origin), ("To", recipients), ("Cc", copied)):
        if pairs:
            line, utf8 = _address_header(name, pairs)
            lines.append(line)
            international |= utf8
    lines += [header("Subject", subject), header("Message-ID", message_id)]
    lines += [header(name, value) for name, value in headers]
    lines.append("MIME-Version: 1.0")
    content_type, body = _multipart("alternative", [
        _part('text/plain; charset="utf-8"', "quoted-printable", _qp(text)),
        _part('text/html; charset="utf-8"', "quoted-printable", _qp(html)),
    ])
    if attachments:
        alternative = (content_type + CRLF + CRLF).encode("ascii") + body
        content_type, body = _multipart("mixed", [alternative, *map(_attachment, attachments)])
    lines.append(content_type)
    head = (CRLF.join(lines) + CRLF + CRLF).encode("utf-8" if international else "ascii")
    return OutgoingEmail(sender=origin[0][1], recipients=tuple(a for _, a in recipients + copied),
                         message_id=message_id, data=head + body, international=international)
