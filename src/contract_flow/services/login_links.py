"""A new user's web login, sent by email (issue 15, item 5): the programme lead adds the user, who receives a link
to choose their password, then is logged in. The password is never typed nor seen by anyone else.

The link carries a signed token (itsdangerous, keyed by `secret_key` with a purpose of its own): the person's id
and their session version when it was sent. It is good for LINK_DAYS days and once: choosing the password bumps
the person's session version (as every password change does), and so does a deactivation, a role change or a
newer link's use; a link of an earlier version is refused. Nothing is stored for it.
"""

from __future__ import annotations

import html
import secrets
from dataclasses import dataclass, field
from typing import Any, Protocol

import sqlalchemy as sa
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from contract_flow.adapters.tables import person_table
from contract_flow.domain.case import Actor, Role
from contract_flow.domain.errors import InvalidInput, NotFound
from contract_flow.domain.reasons import Reason
from contract_flow.domain.values import parse_email
from contract_flow.mime import compose
from contract_flow.services.common import OPERATOR, Configured, Engine, Mailing, resolve_actor
from contract_flow.services.directory_rules import hash_password
from contract_flow.services.user_scope import check_manages

#: A week to open the email and choose a password (a lead may send a new link at any time).
LINK_DAYS = 7
_PURPOSE = "contract-flow.login-link"
PATH = "/login/link"


class LinkDeps(Engine, Configured, Mailing, Protocol):
    """A database, the time, the settings (secret, sender, public address) and the mail server."""


@dataclass(frozen=True)
class LinkSent:
    email: str
    #: Whether the mail server took it; `error` says why not.
    sent: bool
    error: str | None = None
    #: The link itself, for the operator's CLI only (whoever holds it chooses the user's password).
    url: str = field(default="", repr=False)


def _serializer(app: Configured) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(app.settings.secret_key, salt=_PURPOSE)


def send_login_link(app: LinkDeps, email: str, *, base_url: str | None = None,
                    actor_email: str | Actor = OPERATOR) -> LinkSent:
    """Email the user a link to choose their web password (a programme lead for their CFA's users, the operator
    for anyone's); refused for a deactivated user. `base_url`: where the pages are (the page's own address),
    else the setting public_url."""
    address = parse_email("email", email)
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        person = uow.execute(sa.select(person_table).where(person_table.c.email == address)).mappings().first()
        if person is None:
            raise NotFound("user", address)
        if actor.role is not Role.SYSTEM:
            check_manages(uow, actor, int(person["id"]), address, app.settings.default_cfa)
        if not person["active"]:
            raise InvalidInput("email", Reason("login_link_deactivated", email=address))
    token = _serializer(app).dumps([int(person["id"]), int(person["session_version"])])
    url = f"{(base_url or app.settings.public_url).rstrip('/')}{PATH}?token={token}"
    message = _email(app, person, url)
    try:
        with app.mailer.connect() as connection:
            connection.send(message)
    except OSError as error:
        return LinkSent(address, False, str(error) or type(error).__name__, url)
    return LinkSent(address, True, None, url)


_TEXTS = {
    "fr": ("Votre accès à contract-flow",
           "Bonjour {name},\n\nUn compte contract-flow a été ouvert pour vous ({email}).\nChoisissez votre mot de "
           "passe en ouvrant ce lien (valable {days} jours, une seule fois) :\n\n{url}\n\nSi vous n'attendiez pas "
           "ce message, ignorez-le.\n"),
    "en": ("Your contract-flow login",
           "Hello {name},\n\nA contract-flow account was opened for you ({email}).\nChoose your password by "
           "opening this link (good for {days} days, once):\n\n{url}\n\nIf you did not expect this message, "
           "ignore it.\n"),
}


def _email(app: LinkDeps, person: Any, url: str) -> Any:
    language = person["language"] if person["language"] in _TEXTS else app.settings.default_language
    subject, body = _TEXTS[language]
    text = body.format(name=person["name"], email=person["email"], days=LINK_DAYS, url=url)
    escaped = body.format(name=html.escape(person["name"]), email=html.escape(person["email"]), days=LINK_DAYS,
                          url=f'<a href="{html.escape(url)}">{html.escape(url)}</a>')
    page = f'<!DOCTYPE html><html lang="{language}"><body><p>' + escaped.replace("\n\n", "</p><p>").replace(
        "\n", "<br>") + "</p></body></html>"
    message_id = f"<login-link.{secrets.token_hex(12)}@{app.settings.message_id_domain}>"
    return compose(sender=app.settings.mail_from, to=f"{person['name']} <{person['email']}>", cc=None,
                   subject=subject, message_id=message_id, headers=[("Auto-Submitted", "auto-generated")],
                   text=text, html=page)


@dataclass(frozen=True)
class LinkHolder:
    person_id: int
    email: str
    name: str
    language: str
    role: str


_REFUSED = "this link is not valid any more (used, replaced, or older than {days} days): ask your CFA for a new one"


def link_holder(app: LinkDeps, token: str) -> LinkHolder:
    """Whose link this is, while it can still be used; InvalidInput("token") otherwise (one answer for a link
    forged, expired, already used or of a deactivated user)."""
    with app.uow(write=False) as uow:
        return _holder(app, uow, token)


def _holder(app: LinkDeps, uow: Any, token: str) -> LinkHolder:
    refused = InvalidInput("token", _REFUSED.format(days=LINK_DAYS))
    try:
        person_id, version = _serializer(app).loads(token, max_age=LINK_DAYS * 86400)
    except (SignatureExpired, BadSignature, ValueError, TypeError):
        raise refused from None
    row = uow.execute(sa.select(person_table).where(
        person_table.c.id == person_id, person_table.c.session_version == version,
        person_table.c.active.is_(True))).mappings().first()
    if row is None:
        raise refused
    return LinkHolder(int(row["id"]), row["email"], row["name"], row["language"], row["role"])


def choose_password(app: LinkDeps, token: str, password: str) -> LinkHolder:
    """The link's user chooses their web password: it is set, the link (and any earlier session) ends with the
    session version it carried. Returns whose it was, for the page to open their session."""
    hashed = hash_password(app, password)
    with app.uow() as uow:
        holder = _holder(app, uow, token)
        _, version = _serializer(app).loads(token)
        changed = uow.execute(sa.update(person_table).where(
            person_table.c.id == holder.person_id, person_table.c.session_version == version,
        ).values(password_hash=hashed, session_version=person_table.c.session_version + 1)).rowcount
        if not changed:  # used by a twin request in the meantime
            raise InvalidInput("token", _REFUSED.format(days=LINK_DAYS))
        uow.commit()
    return holder
