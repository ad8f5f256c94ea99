"""contract_flow.mime writes emails by hand for speed (see its docstring); this proves that what it writes is the
message the standard library would have written: for arbitrary display names, subjects, header values, bodies and
attachments, the email built by `mime.compose` and the one built with `EmailMessage(policy=default)` (sent as
smtplib sends it: CRLF line ends) parse, with `BytesParser(policy=default)`, to the same headers (decoded), the same
alternatives (decoded text, content types, charsets) and the same attachments (bytes, type, parameters, name)."""

from __future__ import annotations

import email.policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from contract_flow.mime import Attachment, compose

PARSER = BytesParser(policy=email.policy.default)
#: What smtplib.send_message writes: the default policy with CRLF line ends.
WIRE = email.policy.default.clone(linesep="\r\n")

# Header text: any character that can be encoded (no surrogates) and is not a control character (a line break in
# a header value is refused by both: tests/unit/messages/test_mime.py checks it).
header_text = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=120)
# Subjects: short or long (folded over several lines), French ones with their no-break spaces, blanks around.
subjects = st.one_of(
    header_text,
    st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=100, max_size=400),
    st.lists(st.sampled_from(["Période", "d’essai", "\u00a0:", "1\u202f234,56\u00a0€", "fin", " ", "  ", "🎓", "a" * 90,
                              "=?", "?="]), max_size=30).map(" ".join),
)
# Names people have: quotes, commas, "@", angle brackets, emoji, right-to-left scripts, accents.
tricky_names = st.sampled_from([
    "Léa Martin", 'Léa "Lili" Martin', "Martin, Léa", "CFA IMT Mines Alès", "O'Brien <CFA>", "🎓 Léa",
    "ليا مارتن", "לאה מרטין", "a@b", "Dr. J. Doe", "=?utf-8?q?not_an_encoded_word?=", "Zoë\u00a0Ürsel",
])
names = st.one_of(st.just(""), tricky_names, header_text.map(str.strip))
local = st.from_regex(r"[a-z0-9](?:[a-z0-9._+-]{0,20}[a-z0-9])?", fullmatch=True).filter(lambda s: ".." not in s)
domain = st.from_regex(r"[a-z0-9]{1,12}(?:\.[a-z0-9]{1,12}){0,2}\.(?:fr|org|example)", fullmatch=True)
addr_specs = st.builds(lambda user, host: f"{user}@{host}", local, domain)


def _address(name: str, addr_spec: str) -> str:
    """ "Name <address>" as the settings and payloads give it: the name in raw UTF-8, quoted."""
    if not name:
        return addr_spec
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}" <{addr_spec}>'


addresses = st.builds(_address, names, addr_specs)
# Bodies: long lines, lone CR and LF, CRLF, trailing spaces and tabs, "From " and "." at the start of a line, "=",
# control characters, any Unicode that UTF-8 can carry.
body_pieces = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=200),
    st.sampled_from(["\n", "\r", "\r\n", "\n.\n", "\nFrom here\n", ". ", " \t\n", "=", "=\n", "x" * 300, "\u2028",
                     "é" * 80]),
)
bodies = st.lists(body_pieces, max_size=8).map("".join)
filenames = st.one_of(st.just("invitation.ics"), st.text(st.characters(exclude_categories=("Cs", "Cc")),
                                                         min_size=1, max_size=40).map(str.strip).filter(bool))
attachments = st.builds(Attachment, st.just("text/calendar"), st.binary(max_size=600), filenames,
                        st.just((("method", "REQUEST"), ("charset", "utf-8"))))


def standard_library(sender: str, to: str, cc: str | None, subject: str, message_id: str,
                     headers: tuple[tuple[str, str], ...], text: str, html: str,
                     files: tuple[Attachment, ...]) -> bytes:
    message = EmailMessage(policy=email.policy.default)
    message["From"], message["To"] = sender, to
    if cc:
        message["Cc"] = cc
    message["Subject"], message["Message-ID"] = subject, message_id
    for name, value in headers:
        message[name] = value
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    for item in files:
        maintype, subtype = item.content_type.split("/")
        message.add_attachment(item.data, maintype, subtype, filename=item.filename, params=dict(item.params))
    return message.as_bytes(policy=WIRE)


def reading(data: bytes) -> dict[str, Any]:
    """What a mail client reads: decoded headers, addresses, each part's type, charset, text or bytes, name."""
    message = PARSER.parsebytes(data)
    read: dict[str, Any] = {"defects": [type(d).__name__ for part in message.walk() for d in part.defects]}
    for name in ("From", "To", "Cc"):
        value = message[name]
        read[name] = None if value is None else [(a.display_name, a.addr_spec) for a in value.addresses]
    for name in ("Subject", "Message-ID", "X-Note", "X-Contract-Flow-Key"):
        read[name] = None if message[name] is None else str(message[name])
    read["type"] = message.get_content_type()
    read["alternatives"] = [
        (part.get_content_type(), part.get_content_charset(), part.get_content())
        for part in (message.get_body(preferencelist=(kind,)) for kind in ("plain", "html")) if part is not None
    ]
    read["attachments"] = [
        (part.get_content_type(), part.get_filename(), part.get_param("method"), part.get_payload(decode=True))
        for part in message.iter_attachments()
    ]
    return read


@settings(max_examples=400, deadline=None)
@given(sender=addresses, to=addresses, cc=st.one_of(st.none(), addresses), subject=subjects, note=header_text,
       text=bodies, html=bodies, files=st.lists(attachments, max_size=2).map(tuple))
@example(sender='"CFA IMT Mines Alès" <no-reply@cfa.example>', to="lea@example.org", cc=None,
         subject="  Période d’essai : fin le 2 novembre  ", note="", text="a\rb\r\nc", html="<p>x</p>", files=())
@example(sender="a@b.fr", to='"Martin, Léa 🎓" <lea@example.org>', cc='"ليا" <p@example.org>',
         subject="x" * 200, note="=?utf-8?b?w6k=?=", text="From me\n.\n", html="", files=())
def test_what_mime_writes_reads_as_what_the_standard_library_writes(
        sender: str, to: str, cc: str | None, subject: str, note: str, text: str, html: str,
        files: tuple[Attachment, ...]) -> None:
    message_id = "<0123456789abcdef@cfa.example>"
    headers = (("X-Note", note), ("X-Contract-Flow-Key", "42/review_invitation/2026-10-20/apprentice/" + "k" * 60))
    ours = compose(sender=sender, to=to, cc=cc, subject=subject, message_id=message_id, headers=headers,
                   text=text, html=html, attachments=files).data
    theirs = reading(standard_library(sender, to, cc, subject, message_id, headers, text, html, files))
    mine = reading(ours)
    # Where the standard library's own message does not read back as given, mime may read back as given instead:
    # text that looks like an encoded word ("=?utf-8?b?w6k=?=") is written as is and read decoded ("é"); a long
    # name of astral characters ("𐀀") is cut into encoded words read back with a space between them.
    given: dict[str, object] = {
        "Subject": subject.lstrip(" \t"), "X-Note": note.lstrip(" \t"),
        **{name: None if value is None else [pair for pair in getaddresses([value]) if pair[1]]
           for name, value in (("From", sender), ("To", to), ("Cc", cc))},
    }
    for name, value in given.items():
        if mine[name] != theirs[name] and mine[name] == value:
            theirs[name] = value
    assert mine == theirs
