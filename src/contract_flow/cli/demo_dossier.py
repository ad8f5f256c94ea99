"""The demo's contract dossiers (CERFA FA13, issue 14): filled before each signature, as the people concerned would,
through the same use case as the pages and the CLI (services.dossier.set_section), since `sign` is refused until
the dossier is complete and lawful.

The mentor of the case fills the employer's and the mentors' sections when she is a user (Marie Maître), the
apprentice her own identity when she is one (Léa Martin), the advisor the rest; what the case already holds (the
contract's dates, the employer, the mentor's name and email, the pay, the hours) is the case's, and the training is
the programme's configuration (programmes/mecatronique.toml). Every value is made up for the demo.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from stdnum.fr import nir

from contract_flow.domain.dates import add_months
from contract_flow.domain.dossier import Section
from contract_flow.services.dossier import set_section, show_dossier

if TYPE_CHECKING:
    from contract_flow.bootstrap import App

EMPLOYER = {
    "public": "no", "address.number": "12", "address.street": "rue de la Mine", "address.postcode": "30100",
    "address.town": "Alès", "phone": "04 66 00 00 00", "employer_type": "12", "specific_employer": "0",
    "headcount": "180", "idcc_code": "3248", "idcc_name": "Convention collective nationale de la métallurgie",
    "naf_code": "28.99B", "opco": "OPCO 2i",
}
APPRENTICE = {
    "born_in_france": "yes", "birth_town": "Alès", "birth_department": "30", "nationality": "1", "social_scheme": "2",
    "address.street": "3 place de la Mairie", "address.postcode": "30100", "address.town": "Alès",
    "phone": "06 00 00 00 00", "rqth": "no", "business_creation": "no", "high_level_athlete": "no",
    "situation_before": "3", "last_diploma_prepared": "55", "last_diploma_title": "DUT Génie mécanique et productique",
    "highest_diploma": "55", "last_class": "01",
}
MENTOR = {
    "birth_date": "1980-03-02", "job": "Ingénieur·e mécatronique", "diploma": "Diplôme d'ingénieur",
    "diploma_level": "7", "diploma_in_field": "yes", "experience_years": "10", "eligibility_attested": "yes",
}
CONTRACT = {"mode": "1", "contract_type": "11", "risky_work": "no", "pension_fund": "Malakoff Humanis",
            "documents_attested": "yes"}
#: The demo's candidates as the form asks their sex (the NIR's first digit says it too).
SEXES = {"Léa": "F", "Hugo": "M", "Chloé": "F", "Lucas": "M", "Manon": "F", "Nathan": "M", "Inès": "F",
         "Louis": "M", "Camille": "F", "Jules": "M", "Sarah": "F", "Enzo": "M"}


def demo_nir(sex: str, born: date, order: int) -> str:
    """A social security number that fits the apprentice: sex, birth year and month, born in the Gard (Alès)."""
    number = f"{1 if sex == 'M' else 2}{born.year % 100:02d}{born.month:02d}30007{order:03d}"
    return number + nir.calc_check_digits(number)


def fill_demo_dossier(app: App, case_id: int, *, first_name: str, order: int, contract_end: date,
                      advisor: str, users: frozenset[str]) -> None:
    """Fill the case's dossier where the case does not already say it; `users` are the demo's logins (the
    mentor or the apprentice of the case fills their own sections when they are one)."""
    view = show_dossier(app, case_id, actor_email=advisor)
    mentor = view.dossier.mentors[0].email if view.dossier.mentors else None
    apprentice = view.dossier.apprentice
    assert apprentice.birth_date is not None
    assert apprentice.email is not None
    sex = SEXES.get(first_name, "F")
    mentor_fills = mentor if mentor in users else advisor
    apprentice_fills = apprentice.email if apprentice.email in users else advisor
    for section, values, who in (
            (Section.EMPLOYER, EMPLOYER, mentor_fills),
            (Section.MENTORS, {f"1.{key}": value for key, value in MENTOR.items()}, mentor_fills),
            (Section.APPRENTICE, {**APPRENTICE, "sex": sex, "nir": demo_nir(sex, apprentice.birth_date, order)},
             apprentice_fills),
            (Section.CONTRACT, CONTRACT, advisor),
            # the exams end two months before the training cycle, the contract with it (L6222-7-1)
            (Section.TRAINING, {"exams_end": add_months(contract_end, -2).isoformat()}, advisor)):
        set_section(app, case_id, section, values, actor_email=who)
