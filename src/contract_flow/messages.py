"""Reminder messages: rendered from Jinja2 templates for the in-app inbox and for email.

Templates live in `contract_flow/templates/messages/`, one folder per language (`fr`, `en`), two files per
reminder kind (every `ReminderKind` but `trial_pass`, an engine move with no message; `trial_passed` and
`case_lapsed` are the notices of what the engine did):

- `<kind>.txt.j2`, the plain text, not escaped. It extends `_layout.txt.j2` (greeting by role, signature,
  footer) and defines two blocks: `subject`, rendered on its own and collapsed to one line, is the subject;
  `body` is the text.
- `<kind>.html.j2`, the HTML, autoescaped. It extends `_layout.html.j2` and defines `body`; the subject reaches
  it as the variable `subject`. Its `words` are `_common.j2` compiled with autoescaping (`html:` prefix): a
  candidate's name in the greeting or footer is escaped as everywhere else in the HTML.
- `review_invitation.txt.j2` also defines `calendar_summary`, the title of the event in the iCalendar file.

Both layouts are shared by the languages; the words that differ (greetings, role names, the six steps) are
macros and tables of `<language>/_common.j2`, given to every template as `words`. Every payload key is a
template variable (all of them are also in `payload`); StrictUndefined makes a missing key fail loudly.
Filters, all from `contract_flow.formatting` (Babel, the one formatter of pages, emails and the CLI): `day` (an ISO
date: "1er mars 2027", "1 March 2027"), `moment` (an ISO date-time, in Paris: "mardi 2 mars 2027, 14:00"), `euros`
("1 234,56 €", "€1,234.56"), `percent` ("53 %", "53%").

A message is true when it is read, not when it was planned: it is rendered at the moment it is sent (`at`, which
`build_email` takes from its `now`), and `today` is that moment's day in Paris (ISO). What is relative is worded
from it, never stored in the payload: `from_today` says how far a day or a meeting is ("dans 20 jours",
"aujourd’hui", "demain", "il y a 3 jours"; "in 20 days", "today"...) and `days_from_today` gives the number, for a
template to choose its tense ("prend fin" or "a pris fin"). The day itself is always written beside the words: an
inbox message may be read days after it came.

The email of a ledger row (`build_email`) carries text and HTML alternatives, a Message-ID derived from the row's
idempotency key (a resend has the same one, so receivers can drop the duplicate), `Auto-Submitted:
auto-generated` (RFC 3834) and, for a review invitation, an iTIP REQUEST whose UID is the review's: the invitation
and its updates (the review moved: a higher SEQUENCE) are one calendar event. It is written to bytes by
`contract_flow.mime` (see there why not with `email.message.EmailMessage`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parseaddr
from functools import cache
from typing import TYPE_CHECKING, Any

import jinja2
from icalendar import Calendar, Event, vCalAddress
from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    PackageLoader,
    StrictUndefined,
    TemplateNotFound,
    pass_context,
)

from contract_flow.domain.reminders.planner import ENGINE_KINDS, ReminderKind
from contract_flow.formatting import (
    as_moment,
    days_from,
    format_day,
    format_days_from,
    format_moment,
    format_money,
    format_percent,
)
from contract_flow.mime import Attachment, OutgoingEmail, compose

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from jinja2.runtime import Context

    from contract_flow.adapters.ledger import LedgerRow
    from contract_flow.settings import Settings

LANGUAGES = ("fr", "en")
#: "billing": the CFA's billing address of reminders.toml (participation.billing_email).
ROLES = ("apprentice", "advisor", "tutor", "mentor", "employer", "billing")
ASCII_SPACES = re.compile(r"[ \t\r\n]+")
REVIEW_LENGTH = timedelta(hours=1)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def _filter(function: Any) -> Any:
    @pass_context
    def apply(context: Context, value: object) -> str:
        return str(function(value, context["language"]))
    return apply


@pass_context
def _from_today(context: Context, value: object) -> str:
    """How far the day of `value` is from the day the message is sent, in the message's language."""
    return format_days_from(value, context["today"], context["language"])


@pass_context
def _days_from_today(context: Context, value: object) -> int:
    return days_from(value, context["today"])


#: The prefix under which a template is loaded for an HTML message: `html:fr/_common.j2` is `fr/_common.j2`
#: compiled with autoescaping, so that its macros (greeting, footer...) escape the names they are given.
HTML_PREFIX = "html"


def _autoescape(name: str | None) -> bool:
    """HTML templates (`*.html.j2`) and the shared words loaded for them (`html:...`) are autoescaped; text ones
    are not. Jinja decides it per template when it compiles it, and a macro's body escapes (or not) as its own
    template does: one `_common.j2` module shared by text and HTML let `<img onerror=...>` names through."""
    return name is not None and (name.endswith(".html.j2") or name.startswith(f"{HTML_PREFIX}:"))


class _ForHtml(BaseLoader):
    """`html:<name>` is `<name>` of `loader`, under its prefixed name (jinja2's PrefixLoader compiles a template
    under the name without the prefix, which would not be autoescaped)."""

    def __init__(self, loader: BaseLoader) -> None:
        self.loader = loader

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool]]:
        prefix, sep, name = template.partition(":")
        if not sep or prefix != HTML_PREFIX:
            raise TemplateNotFound(template)
        source, filename, uptodate = self.loader.get_source(environment, name)
        return source, filename, uptodate or (lambda: True)


@cache
def _environment() -> Environment:
    package = PackageLoader("contract_flow", "templates/messages")
    environment = Environment(
        loader=ChoiceLoader([package, _ForHtml(package)]),
        autoescape=_autoescape,
        undefined=StrictUndefined,
        # The templates ship with the package: no stat() of each file at every message to see if it changed.
        auto_reload=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(day=_filter(format_day), moment=_filter(format_moment),
                               euros=_filter(format_money), percent=_filter(format_percent),
                               from_today=_from_today, days_from_today=_days_from_today)
    return environment


@cache
def _words(language: str, html: bool = False) -> Any:
    """The language's shared words (`_common.j2`) as a module: escaping what it is given for HTML, not for text."""
    name = f"{language}/_common.j2"
    return _environment().get_template(f"{HTML_PREFIX}:{name}" if html else name).make_module()


def _variables(kind: str, payload: Mapping[str, str], language: str,
               at: datetime) -> tuple[ReminderKind, dict[str, Any]]:
    if language not in LANGUAGES:
        raise ValueError(f"no messages in language {language!r}: only in {', '.join(LANGUAGES)}")
    reminder = ReminderKind(kind)
    if reminder in ENGINE_KINDS:
        raise ValueError(f"{reminder} is an engine move (the case moves on), not a message")
    if payload.get("role") not in ROLES:
        raise ValueError(f"{kind}: a message is addressed to one of {', '.join(ROLES)}, not role "
                         f"{payload.get('role')!r}")
    return reminder, {**payload, "payload": dict(payload), "language": language, "kind": reminder.value,
                      "today": as_moment(at).date().isoformat(), "words": _words(language)}


def _block(kind: ReminderKind, language: str, block: str, variables: dict[str, Any]) -> str:
    template = _environment().get_template(f"{language}/{kind}.txt.j2")
    # Collapse the template's line breaks and indentation, not the no-break spaces of French typography.
    return ASCII_SPACES.sub(" ", "".join(template.blocks[block](template.new_context(variables)))).strip(" \t\r\n")


def _tidy(text: str) -> str:
    lines = "\n".join(line.rstrip(" \t") for line in text.strip(" \t\r\n").splitlines())
    return re.sub(r"\n{3,}", "\n\n", lines) + "\n"


def render(kind: str, payload: Mapping[str, str], language: str, *, at: datetime) -> Rendered:
    """The subject, text and HTML of one reminder to one person, in "fr" or "en" (ValueError otherwise), as it
    reads when sent `at` (what is relative, "dans 20 jours", is counted from that day in Paris)."""
    reminder, variables = _variables(kind, payload, language, at)
    environment = _environment()
    try:
        subject = _block(reminder, language, "subject", variables)
        text = environment.get_template(f"{language}/{reminder}.txt.j2").render(variables)
        html = environment.get_template(f"{language}/{reminder}.html.j2").render(
            {**variables, "subject": subject, "words": _words(language, html=True)})
    except jinja2.UndefinedError as missing:
        # A payload without a key its template needs: say which, as a ValueError like the other refusals.
        raise ValueError(f"{kind}: {missing.message}") from None
    return Rendered(subject, _tidy(text), html)


def message_id_for(key: str, domain: str) -> str:
    """The Message-ID of the email sent for ledger key `key`: the same key always gives the same one."""
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


def review_uid(review_id: str, domain: str) -> str:
    """One calendar event per review: the invitation to it and each update (the review moved) are the same event."""
    return f"review-{review_id}@{domain}"


def invitation_ics(settings: Settings, row: LedgerRow, language: str, now: datetime) -> bytes:
    """An iTIP REQUEST (RFC 5546) for a planned review: one hour from `planned_at`, at `place`."""
    payload = row.payload
    reminder, variables = _variables(row.kind, payload, language, now)
    organizer_name, organizer_address = parseaddr(settings.mail_from)
    organizer = vCalAddress(f"mailto:{organizer_address}")
    if organizer_name:
        organizer.params["CN"] = organizer_name
    # The organiser is a no-reply address: no answer is asked for (RSVP=FALSE).
    attendee = vCalAddress(f"mailto:{row.recipient}")
    attendee.params.update({"CUTYPE": "INDIVIDUAL", "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION",
                            "RSVP": "FALSE"})
    event = Event()
    event.add("uid", review_uid(payload["review_id"], settings.message_id_domain))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", as_moment(payload["planned_at"]).astimezone(UTC))
    event.add("duration", REVIEW_LENGTH)
    event.add("summary", _block(reminder, language, "calendar_summary", variables))
    event.add("location", payload["place"])
    event.add("organizer", organizer)
    event.add("attendee", attendee)
    event.add("status", "CONFIRMED")
    # Each reschedule bumps the review's version: calendars (Outlook above all) update the event when it grows.
    event.add("sequence", int(row.payload.get("sequence", "0")))
    calendar = Calendar()
    calendar.add("prodid", "-//contract-flow//reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def build_email(settings: Settings, row: LedgerRow, language: str, *, now: datetime | None = None) -> OutgoingEmail:
    """The email for one ledger row, worded as it reads at `now` (the moment of sending, its Date): text and HTML
    alternatives, the calendar file of a review invitation, and a Message-ID derived from the row's idempotency key
    (a resent row carries the same one)."""
    moment = now or datetime.now(UTC)
    rendered = render(row.kind, row.payload, language, at=moment)
    attachments: tuple[Attachment, ...] = ()
    if row.kind == ReminderKind.REVIEW_INVITATION:
        attachments = (Attachment("text/calendar", invitation_ics(settings, row, language, moment), "invitation.ics",
                                  (("method", "REQUEST"), ("charset", "utf-8"))),)
    return compose(
        sender=settings.mail_from, to=row.recipient, cc=row.payload.get("cc"), subject=rendered.subject,
        message_id=message_id_for(row.key, settings.message_id_domain),
        headers=(
            ("Date", format_datetime(moment.astimezone(UTC))),
            ("Auto-Submitted", "auto-generated"),  # RFC 3834: no automatic answer to an automatic message
            ("X-Auto-Response-Suppress", "All"),  # the same, for Exchange's out-of-office replies
            ("Content-Language", language),
            # Printable ASCII is written as given, not cut into encoded words: the key can be found in mail logs.
            ("X-Contract-Flow-Key", row.key),
        ),
        text=rendered.text, html=rendered.html, attachments=attachments,
    )
