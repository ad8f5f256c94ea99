"""Reading one section's raw data (what a form, the CLI or the API sends) into checked values.

Each value is text as typed, or already typed as JSON gives it (a boolean, a whole number, an amount) or as code
gives it (a date, a Decimal); an empty text or None is an absent value. Every refusal is an InvalidInput naming the
field ("apprentice.nir") and the rule, in words a person can act on; nothing else is raised, whatever comes in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fr import nir as stdnum_nir

from contract_flow.domain import values
from contract_flow.domain.dossier.codes import DEPARTMENTS, CodeList
from contract_flow.domain.dossier.model import Address
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.identifiers import (
    DECA_NUMBER,
    nir_problem,
    normalise_nir,
    normalise_siret,
    normalise_uai,
    siret_problem,
    uai_problem,
)
from contract_flow.domain.reasons import Reason, Typed

#: Dates of a dossier fall between these: a birth date after 1900, a contract before 2200; beyond them a date is a
#: typing mistake (year 20026), and the rules' arithmetic would leave the calendar.
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)

_IDCC = re.compile(r"[0-9]{1,4}", re.ASCII)
_NAF = re.compile(r"([0-9]{2})\.?([0-9]{2})([A-Z])", re.ASCII)
_RNCP = re.compile(r"(?:RNCP)?([0-9]{3,5})", re.ASCII)
_DIPLOMA_CODE = re.compile(r"[0-9]{2}[0-9A-Z][0-9]{5}", re.ASCII)
_POSTCODE = re.compile(r"(?:0[1-9]|[1-8][0-9]|9[0-8])[0-9]{3}", re.ASCII)
_INTERNATIONAL_PHONE = re.compile(r"\+[1-9][0-9]{6,14}", re.ASCII)
_FRENCH_PHONE = re.compile(r"0[1-9][0-9]{8}", re.ASCII)
_PHONE_SEPARATORS = str.maketrans("", "", " .-/()\u00a0\u202f")
_HUNDREDTH = Decimal("0.01")


class Reader:
    """One section's data: `prefix` names its fields in errors ("employer", "mentors.2"); a key outside `keys` is
    refused, so a misspelt field is never silently dropped."""

    def __init__(self, data: Mapping[str, object], prefix: str, keys: Collection[str]) -> None:
        for key in data:
            if key not in keys:
                raise InvalidInput(f"{prefix}.{key}"[:120], "unknown field; the fields of this section are: "
                                   + ", ".join(keys))
        self._data = data
        self.prefix = prefix

    def name(self, key: str) -> str:
        return f"{self.prefix}.{key}"

    def raw(self, key: str) -> object | None:
        value = self._data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return value

    def _string(self, key: str, value: object) -> str:
        if isinstance(value, str):
            return value
        raise InvalidInput(self.name(key), f"expected text, not {type(value).__name__}")

    def text(self, key: str, max_length: int = 200) -> str | None:
        value = self.raw(key)
        return None if value is None else values.parse_text(self.name(key), self._string(key, value), max_length)

    def email(self, key: str) -> str | None:
        value = self.raw(key)
        if value is None:
            return None
        text = self._string(key, value)
        if len(text) > 254:  # RFC 5321's longest address
            raise InvalidInput(self.name(key), "is longer than 254 characters: not an email address")
        return values.parse_email(self.name(key), text)

    def flag(self, key: str) -> bool | None:
        value = self.raw(key)
        if value is None or isinstance(value, bool):
            return value
        return values.parse_bool(self.name(key), self._string(key, value)[:20])

    def code(self, key: str, codes: CodeList) -> str | None:
        value = self.raw(key)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        return codes.parse(self.name(key), self._string(key, value))

    def day(self, key: str) -> date | None:
        value = self.raw(key)
        if value is None:
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            found = value
        else:
            found = values.parse_date(self.name(key), self._string(key, value)[:40])
        if not EARLIEST <= found <= LATEST:
            raise InvalidInput(self.name(key), f"{found.isoformat()} is not between {EARLIEST.year} and "
                                               f"{LATEST.year}: check the year")
        return found

    def whole(self, key: str, lowest: int, highest: int, unit: str = "") -> int | None:
        value = self.raw(key)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            text = self._string(key, value).strip()
            # ASCII digits and a bounded length before int(): "٣٥" is no number here, and a 5,000-digit text
            # would make int() raise ValueError rather than be refused
            if not text.isascii() or not text.isdigit() or len(text) > 9:
                raise InvalidInput(self.name(key), f"{text[:40]!r} is not a whole number from {lowest} to {highest}")
            number = int(text)
        if not lowest <= number <= highest:
            raise InvalidInput(self.name(key), f"{number} is not from {lowest} to {highest}{unit}")
        return number

    def amount(self, key: str) -> Decimal | None:
        """A sum in euros (values.parse_amount: positive, at most two decimals)."""
        value = self.raw(key)
        if value is None:
            return None
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            value = str(value)
        return values.parse_amount(self.name(key), self._string(key, value))

    def percent(self, key: str, highest: Decimal) -> Decimal | None:
        """A rate in % of a reference pay: above 0, at most `highest`, in hundredths."""
        value = self.raw(key)
        if value is None:
            return None
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            value = str(value)
        text = self._string(key, value)
        try:
            rate = Decimal(text.strip().removesuffix("%").strip().replace(",", "."))
        except InvalidOperation:
            raise InvalidInput(self.name(key), Reason("percent_not_number", value=Typed(text[:40]))) from None
        if not rate.is_finite() or not Decimal(0) < rate <= highest:
            raise InvalidInput(self.name(key), Reason("percent_range", value=Typed(text[:40]), highest=highest))
        if rate != rate.quantize(_HUNDREDTH):
            raise InvalidInput(self.name(key), Reason("percent_decimals", value=Typed(text[:40])))
        return rate.quantize(_HUNDREDTH)

    def siret(self, key: str) -> str | None:
        return self._checked(key, normalise_siret, siret_problem)

    def uai(self, key: str) -> str | None:
        return self._checked(key, normalise_uai, uai_problem)

    def _checked(self, key: str, normalise: Callable[[str], str],
                 problem_of: Callable[[str], Reason | None]) -> str | None:
        value = self.raw(key)
        if value is None:
            return None
        text = self._string(key, value)
        found = normalise(text[:100])
        problem = problem_of(found)
        if problem:
            raise InvalidInput(self.name(key), Reason("typed_refused", value=Typed(text[:40]), problem=problem))
        return found

    def nir(self, key: str) -> str | None:
        """The social security number, its key checked (stdnum.fr.nir); the key a wrong one should be is said."""
        value = self.raw(key)
        if value is None:
            return None
        text = self._string(key, value)
        found = normalise_nir(text[:60])
        problem = nir_problem(found)
        if problem is None:
            return found
        try:
            stdnum_nir.validate(found)
        except InvalidChecksum:
            expected = stdnum_nir.calc_check_digits(found)
            raise InvalidInput(self.name(key), Reason("nir_key_expected", key=found[13:],
                                                      expected=expected)) from None
        except (ValidationError, ValueError):
            pass
        raise InvalidInput(self.name(key), Reason("typed_refused", value=Typed(text[:40]), problem=problem))

    def _compact(self, key: str) -> str | None:
        value = self.raw(key)
        return None if value is None else "".join(self._string(key, value).split()).upper()[:60]

    def idcc(self, key: str) -> str | None:
        """The collective agreement's IDCC: 4 digits ("843" is 0843); 9999 none, 9998 being negotiated."""
        found = self._compact(key)
        if found is None:
            return None
        if not _IDCC.fullmatch(found) or int(found) == 0:
            raise InvalidInput(self.name(key), Reason("idcc_format", value=Typed(found)))
        return found.zfill(4)

    def naf(self, key: str) -> str | None:
        found = self._compact(key)
        if found is None:
            return None
        match = _NAF.fullmatch(found)
        if match is None:
            raise InvalidInput(self.name(key), Reason("naf_format", value=Typed(found)))
        return f"{match[1]}.{match[2]}{match[3]}"

    def rncp(self, key: str) -> str | None:
        found = self._compact(key)
        if found is None:
            return None
        match = _RNCP.fullmatch(found)
        if match is None:
            raise InvalidInput(self.name(key), Reason("rncp_format", value=Typed(found)))
        return f"RNCP{match[1]}"

    def diploma_code(self, key: str) -> str | None:
        found = self._compact(key)
        if found is not None and not _DIPLOMA_CODE.fullmatch(found):
            raise InvalidInput(self.name(key), Reason("diploma_code_format", value=Typed(found)))
        return found

    def deca_number(self, key: str) -> str | None:
        found = self._compact(key)
        if found is not None and not DECA_NUMBER.fullmatch(found):
            raise InvalidInput(self.name(key), Reason("typed_is", value=Typed(found), problem=Reason("deca_format")))
        return found

    def department(self, key: str) -> str | None:
        found = self._compact(key)
        if found is None:
            return None
        if len(found) == 1 and found.isascii() and found.isdigit():
            found = found.zfill(2)
        if found not in DEPARTMENTS:
            raise InvalidInput(self.name(key), f"{found!r} is not a département code (01-95, 2A, 2B, 971-988; 99 "
                                               "for a birth abroad)")
        return found

    def phone(self, key: str) -> str | None:
        """A phone number, stored in the international form: "06 12 34 56 78" -> "+33612345678"."""
        value = self.raw(key)
        if value is None:
            return None
        text = self._string(key, value)
        # "+33 (0)6 ...": the trunk 0 written after the country code is not dialled from abroad
        found = text[:40].replace("(0)", "").translate(_PHONE_SEPARATORS)
        found = "+" + found[2:] if found.startswith("00") else found
        if _FRENCH_PHONE.fullmatch(found):
            return "+33" + found[1:]
        if _INTERNATIONAL_PHONE.fullmatch(found):
            return found
        raise InvalidInput(self.name(key), f"{text[:40]!r} is not a phone number (06 12 34 56 78, or +44 20 7946 0000)")

    def postcode(self, key: str) -> str | None:
        found = self._compact(key)
        if found is not None and not _POSTCODE.fullmatch(found):
            raise InvalidInput(self.name(key), f"{found!r} is not a French postcode (5 digits, e.g. 30100)")
        return found

    def address(self, prefix: str) -> Address:
        """The parts of an address under `prefix` ("address.street"...)."""
        return Address(
            number=self.text(f"{prefix}.number", 20),
            street=self.text(f"{prefix}.street"),
            complement=self.text(f"{prefix}.complement"),
            postcode=self.postcode(f"{prefix}.postcode"),
            town=self.text(f"{prefix}.town", 100),
        )
