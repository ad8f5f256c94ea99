"""Emails written straight to bytes (contract_flow.mime) read back whole with the standard library's parser:
encoded words for non-ASCII headers, UTF-8 quoted-printable bodies, CRLF line ends, short lines."""

from __future__ import annotations

import re

import pytest

from contract_flow.mime import Attachment, OutgoingEmail, compose, header

TEXT = "Bonjour Léa,\n\nLe montant passe à 1\u00a0234,56\u00a0€ =\tvoir ci-dessous. " + "très long " * 20 + "\n"
HTML = "<p>Bonjour L&eacute;a, <a href=\"https://cfa.example/?a=1&amp;b=2\">ici</a></p>\n"


def an_email(**changes: object) -> OutgoingEmail:
    fields: dict[str, object] = {
        "sender": "CFA IMT Mines Alès <no-reply@cfa.example>", "to": "lea.martin@example.org",
        "cc": "Parent Martin <parent.martin@example.org>", "subject": "Période d’essai\u00a0: fin le 2 novembre",
        "message_id": "<abc@cfa.example>", "headers": (("X-Contract-Flow-Key", "7/trial/2026-11-02"),),
        "text": TEXT, "html": HTML,
    }
    return compose(**{**fields, **changes})  # type: ignore[arg-type]


def test_headers_and_both_alternatives_read_back_as_given() -> None:
    built = an_email()
    message = built.parsed()
    assert message["From"] == "CFA IMT Mines Alès <no-reply@cfa.example>"
    assert message["From"].addresses[0].addr_spec == "no-reply@cfa.example"
    assert message["Cc"].addresses[0].display_name == "Parent Martin"
    assert message["Subject"] == "Période d’essai\u00a0: fin le 2 novembre"
    assert message["Message-ID"] == "<abc@cfa.example>"
    assert message.get_body(preferencelist=("plain",)).get_content() == TEXT
    assert message.get_body(preferencelist=("html",)).get_content() == HTML
    assert built.recipients == ("lea.martin@example.org", "parent.martin@example.org")
    assert not built.international


def test_every_line_is_ascii_ends_in_crlf_and_is_at_most_78_characters() -> None:
    subject = ("Une très longue ligne d’objet, 1\u00a0234,56\u00a0€ " * 6).strip()
    built = an_email(subject=subject)
    assert built.parsed()["Subject"] == subject  # encoded words cut between characters, never inside one
    data = built.data
    assert data.isascii()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 78


def test_a_long_ascii_subject_is_folded_at_spaces_and_reads_back_whole() -> None:
    subject = "Reminder: " + "the trial period ends soon " * 5
    built = an_email(subject=subject.strip())
    assert re.search(rb"Subject: Reminder: [^\r]+\r\n [^\r]+", built.data)
    assert built.parsed()["Subject"] == subject.strip()


def test_a_non_ascii_address_is_written_in_utf8_and_asks_for_smtputf8() -> None:
    built = an_email(to="léa@exemple.fr")
    assert built.international
    assert "To: léa@exemple.fr\r\n".encode() in built.data


def test_a_line_break_in_a_header_value_is_refused() -> None:
    with pytest.raises(ValueError, match="line break"):
        header("Subject", "one\r\nBcc: someone@example.org")
    with pytest.raises(ValueError, match="line break"):
        an_email(cc="parent@example.org\nBcc: someone@example.org")


def test_an_attachment_makes_it_multipart_mixed_with_the_alternatives_first() -> None:
    ics = "BEGIN:VCALENDAR\r\nSUMMARY:Entretien de Léa\r\nEND:VCALENDAR\r\n".encode()
    built = an_email(attachments=(Attachment("text/calendar", ics, "invitation.ics", (("method", "REQUEST"),)),))
    message = built.parsed()
    assert message.get_content_type() == "multipart/mixed"
    assert message.get_body(preferencelist=("plain",)).get_content() == TEXT
    [part] = message.iter_attachments()
    assert (part.get_filename(), part.get_param("method")) == ("invitation.ics", "REQUEST")
    assert part.get_payload(decode=True) == ics
