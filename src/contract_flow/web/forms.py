"""Reading posted forms: text fields checked as the API checks JSON (a NUL is no text), and the errors of a
form kept by field so the page shows each next to its input, with every value the person typed kept."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from starlette.datastructures import FormData, UploadFile

from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Reason

#: A form's text fields are short; the CSV import's file is read in its own route.
MAX_FIELD_CHARS = 10_000


def text(form: FormData, name: str, *, required: bool = False) -> str | None:
    value = form.get(name)
    if value is None or isinstance(value, UploadFile):
        if required:
            raise InvalidInput(name, Reason("empty"))
        return None
    if "\x00" in value:
        raise InvalidInput(name, Reason("nul_is_not_text"))
    if len(value) > MAX_FIELD_CHARS:
        raise InvalidInput(name, Reason("too_long", most=MAX_FIELD_CHARS))
    stripped = value.strip()
    if required and not stripped:
        raise InvalidInput(name, Reason("empty"))
    return stripped or None


def texts(form: FormData, name: str) -> list[str]:
    values = [value for value in form.getlist(name) if isinstance(value, str)]
    for value in values:
        if "\x00" in value:
            raise InvalidInput(name, Reason("nul_is_not_text"))
    return [value.strip() for value in values if value.strip()]


def local_path(target: str | None) -> str | None:
    """Only a path of this site, after a login, a move or the confirmation's Cancel: it starts with one "/" and
    holds visible ASCII only. "//host" and "/\\host" leave the site, and browsers drop tabs and line breaks from a
    URL (WHATWG URL: "/", a tab, "/evil.example" is "//evil.example"), so a backslash, a space, a control or a
    non-ASCII character is refused too (the site's own paths and queries are percent-encoded ASCII)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or not all("!" <= char <= "~" for char in target):
        return None
    return target


@dataclass
class FormState:
    """What a form shows again after an error: the values as typed, and the message of each field at fault."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    #: Each error with the field it names (`filed_on : ...`), for a page that shows it away from its field.
    named: dict[str, str] = field(default_factory=dict)

    @classmethod
    async def of(cls, request: Request) -> FormState:
        form = await request.form()
        return cls({key: value for key, value in form.multi_items() if isinstance(value, str)})

    def fail(self, error: InvalidInput) -> None:
        """The error next to its field, which the field's label already names: the rule alone (`le 21/10/2026 est
        dans le futur`, not `filed_on : ...`, the engine's name of the field); an error of no field, as it is
        said. A page words either in its language (t.reason)."""
        key = error.field or "form"
        self.errors[key] = error.rule if error.field else error.said
        self.named[key] = error.said

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)
