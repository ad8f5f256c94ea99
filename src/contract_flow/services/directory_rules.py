"""What the directory's use cases share without calling each other (services/directory.py, users.py, programmes.py,
login_links.py): the rules a web password and a programme's length and level follow."""

from __future__ import annotations

from contract_flow.adapters.passwords import HASHERS
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Reason
from contract_flow.services.common import Configured

#: L6222-7-1: a contract lasts between 6 months and 3 years, 4 for a disabled apprentice.
MAX_PROGRAMME_YEARS = 4
#: Décret n° 2019-14 (cadre national des certifications professionnelles): apprenticeship prepares diplomas and
#: titles of levels 3 (CAP) to 8 (doctorate).
DIPLOMA_LEVELS = range(3, 9)
#: ANSSI's guide on passwords (2021) asks 12+ characters for a password protecting ordinary data and no upper
#: bound; 256 keeps a form from making the server hash megabytes.
MIN_PASSWORD, MAX_PASSWORD = 12, 256


def hash_password(app: Configured, password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidInput("password", Reason("password_length", least=MIN_PASSWORD, most=MAX_PASSWORD,
                                              length=len(password)))
    if password != password.strip() or "\x00" in password:
        raise InvalidInput("password", Reason("password_spaces"))
    return HASHERS[app.settings.password_hash_cost].hash(password)
