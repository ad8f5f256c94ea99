"""A contract dossier filled as the advisor would, for the cases the tests sign: what the case does not say yet, for
the brochure's programme (mechatronics, an engineering diploma, level 7) and any other, whatever the candidate's
age (a minor gets her legal representative); what the case holds (dates, employer, mentor, pay) is the case's."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from stdnum.fr import nir

from contract_flow.bootstrap import App
from contract_flow.domain.dates import add_months
from contract_flow.domain.dossier import Section
from contract_flow.services.cases import show
from contract_flow.services.dossier import DossierView, set_section, show_dossier

CFA_SIRET = "18009202500055"
CFA_UAI = "0300063F"
EMPLOYER_EMAIL = "rh@industrie.example"
REPRESENTATIVE_EMAIL = "paul.martin@example.org"

EMPLOYER: dict[str, str] = {
    "public": "no", "address.number": "12", "address.street": "rue de la Mine", "address.postcode": "30100",
    "address.town": "Alès", "phone": "04 66 78 50 00", "email": EMPLOYER_EMAIL, "employer_type": "12",
    "specific_employer": "0", "headcount": "250", "idcc_code": "3248",
    "idcc_name": "Convention collective nationale de la métallurgie", "naf_code": "28.99B", "opco": "OPCO 2i",
}
APPRENTICE: dict[str, str] = {
    "sex": "F", "born_in_france": "yes", "birth_town": "Alès", "birth_department": "30", "nationality": "1",
    "social_scheme": "2", "address.street": "3 place de la Mairie", "address.postcode": "30100",
    "address.town": "Alès", "phone": "06 12 34 56 78", "rqth": "no", "business_creation": "no",
    "high_level_athlete": "no", "situation_before": "3", "last_diploma_prepared": "55",
    "last_diploma_title": "DUT Génie mécanique et productique", "highest_diploma": "55", "last_class": "01",
}
REPRESENTATIVE: dict[str, str] = {
    "not_emancipated": "yes", "legal_representative.name": "Paul Martin",
    "legal_representative.email": REPRESENTATIVE_EMAIL,
    "legal_representative.address.street": "3 place de la Mairie",
    "legal_representative.address.postcode": "30100", "legal_representative.address.town": "Alès",
}
MENTOR: dict[str, str] = {
    "birth_date": "1980-03-02", "job": "Ingénieure mécatronique", "diploma": "Diplôme d'ingénieur",
    "diploma_level": "7", "diploma_in_field": "yes", "experience_years": "10", "eligibility_attested": "yes",
}
CONTRACT: dict[str, str] = {
    "mode": "1", "contract_type": "11", "risky_work": "no", "pension_fund": "Malakoff Humanis",
    "documents_attested": "yes",
}
TRAINING: dict[str, str] = {
    "cfa_run_by_employer": "no", "cfa_siret": CFA_SIRET, "cfa_uai": CFA_UAI, "cfa_name": "CFA IMT Mines Alès",
    "cfa_address.street": "6 avenue de Clavières", "cfa_address.postcode": "30100", "cfa_address.town": "Alès",
    "rncp_code": "RNCP37412", "diploma_code": "17025203",
    "title": "Ingénieur diplômé d'IMT Mines Alès, spécialité mécatronique", "diploma_type": "74",
    "training_hours": "1800", "remote_hours": "0",
}


def nir_of(born: date) -> str:
    """A woman's social security number (she is "F" here), born in the Gard on `born`'s month, its key computed."""
    number = f"2{born.year % 100:02d}{born.month:02d}30007123"
    return number + nir.calc_check_digits(number)


def a_nir(view: DossierView) -> str:
    """The NIR of the dossier's apprentice (`nir_of` her birth date)."""
    born = view.dossier.apprentice.birth_date
    assert born is not None
    return nir_of(born)


def _absent(view: DossierView, section: Section, values: Mapping[str, str]) -> dict[str, str]:
    """The values of `values` the section does not hold yet."""
    held = view.sections[section].data
    return {key: value for key, value in values.items() if key not in held}


def fill_dossier(app: App, case_id: int, *, advisor: str) -> DossierView:
    """Complete the case's dossier where it lacks something, section by section; idempotent. The apprentice is a
    minor when the case's signature date makes her one (her section then names her legal representative); the
    exams end two months before the programme's last day."""
    view = show_dossier(app, case_id, actor_email=advisor)
    apprentice = {**APPRENTICE, "nir": a_nir(view)}
    if view.dossier.apprentice.minor:
        apprentice.update(REPRESENTATIVE)
    mentor = dict(MENTOR)  # the mentor's name and email are the case's (contract.mentor_name, mentor_email)
    programme = show(app, case_id).case.programme
    training = dict(TRAINING)
    starts = view.dossier.training.training_start or programme.start_date
    training["exams_end"] = (add_months(starts, 12 * programme.years - 2) - timedelta(days=1)).isoformat()
    for section, values in ((Section.EMPLOYER, EMPLOYER), (Section.APPRENTICE, apprentice),
                            (Section.MENTORS, {f"1.{key}": value for key, value in mentor.items()}),
                            (Section.CONTRACT, CONTRACT), (Section.TRAINING, training)):
        wanted = _absent(view, section, values)
        if wanted:
            view = set_section(app, case_id, section, wanted, actor_email=advisor)
    return view
