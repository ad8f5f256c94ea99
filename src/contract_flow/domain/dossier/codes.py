"""The code lists of the CERFA FA13 (n° 10103*14), each code with its label in French and in English.

The codes are the form's own (the State's contract tool, mission-apprentissage/contrat, and the form's notice); the
dossier stores the code, pages and the PDF show `label(code, language)`. A code outside its list is refused naming
the field (`CodeList.parse`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from contract_flow.domain.errors import InvalidInput


@dataclass(frozen=True)
class Label:
    fr: str
    en: str

    def in_language(self, language: str) -> str:
        return self.en if language == "en" else self.fr


@dataclass(frozen=True)
class CodeList:
    """One list of the form: its name, and each code (as the form writes it) with its labels, in the form's order."""

    name: str
    entries: Mapping[str, Label]

    def __contains__(self, code: object) -> bool:
        return code in self.entries

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)

    def label(self, code: str, language: str = "fr") -> str:
        """The code's label ("12 - Entreprise inscrite au RCS" is shown as code and label side by side)."""
        return self.entries[code].in_language(language)

    def parse(self, field: str, text: str) -> str:
        """The code typed (spaces and case ignored; "1" for "01" when the list's codes have two digits)."""
        value = "".join(text.split()).upper()
        if value not in self.entries and value.isascii() and value.isdigit() and len(value) <= 3:
            # "1" for "01" (last class), "01" for "1" (nationality): people type codes both ways
            value = next((code for code in (value.zfill(2), value.lstrip("0") or "0") if code in self.entries), value)
        if value not in self.entries:
            known = ", ".join(self.entries)
            raise InvalidInput(field, f"{text[:40]!r} is not a code of the list «{self.name}» ({known})")
        return value


def _codes(name: str, *rows: tuple[str, str, str]) -> CodeList:
    return CodeList(name, {code: Label(fr, en) for code, fr, en in rows})


EMPLOYER_TYPES = _codes(
    "type d'employeur",
    ("11", "Entreprise inscrite au répertoire des métiers ou au registre des entreprises (Alsace-Moselle)",
     "Business in the trades register (or the Alsace-Moselle register)"),
    ("12", "Entreprise inscrite uniquement au registre du commerce et des sociétés",
     "Business in the trade and companies register only"),
    ("13", "Entreprise dont les salariés relèvent de la mutualité sociale agricole",
     "Business whose employees are covered by the agricultural scheme (MSA)"),
    ("14", "Profession libérale", "Liberal profession"),
    ("15", "Association", "Association"),
    ("16", "Autre employeur privé", "Other private employer"),
    ("21", "Service de l'État", "State service"),
    ("22", "Commune", "Municipality"),
    ("23", "Département", "Département"),
    ("24", "Région", "Region"),
    ("25", "Établissement public hospitalier", "Public hospital"),
    ("26", "Établissement public local d'enseignement", "Local public school"),
    ("27", "Établissement public administratif de l'État", "State administrative public body"),
    ("28", "Établissement public administratif local (y compris EPCI)",
     "Local administrative public body (including inter-municipal bodies)"),
    ("29", "Autre employeur public", "Other public employer"),
)
PRIVATE_EMPLOYER_TYPES = frozenset({"11", "12", "13", "14", "15", "16"})

SPECIFIC_EMPLOYERS = _codes(
    "employeur spécifique",
    ("0", "Aucun de ces cas", "None of these"),
    ("1", "Entreprise de travail temporaire", "Temporary work agency"),
    ("2", "Groupement d'employeurs", "Employers' group"),
    ("3", "Employeur saisonnier", "Seasonal employer"),
    ("4", "Apprentissage familial : l'employeur est un ascendant de l'apprenti",
     "Family apprenticeship: the employer is the apprentice's ascendant"),
)

SEXES = _codes("sexe", ("F", "Féminin", "Female"), ("M", "Masculin", "Male"))

NATIONALITIES = _codes(
    "nationalité",
    ("1", "Française", "French"),
    ("2", "Union européenne", "European Union"),
    ("3", "Étranger hors Union européenne", "Outside the European Union"),
)

SOCIAL_SCHEMES = _codes("régime social", ("1", "MSA", "MSA (agricultural)"), ("2", "URSSAF", "URSSAF (general)"))

SITUATIONS = _codes(
    "situation avant ce contrat",
    ("1", "Scolaire", "At school"),
    ("2", "Prépa apprentissage", "Apprenticeship preparation"),
    ("3", "Étudiant", "Student"),
    ("4", "Contrat d'apprentissage", "Apprenticeship contract"),
    ("5", "Contrat de professionnalisation", "Professionalisation contract"),
    ("6", "Contrat aidé", "Subsidised contract"),
    ("7", "En formation au CFA avant la signature d'un contrat d'apprentissage (L6222-12-1)",
     "Training at the CFA before signing an apprenticeship contract (L6222-12-1)"),
    ("8", "En formation au CFA sans contrat, à la suite d'une rupture (L6231-2 5°)",
     "Training at the CFA without a contract, after a break (L6231-2 5°)"),
    ("9", "Autre situation de stagiaire de la formation professionnelle", "Other vocational trainee"),
    ("10", "Salarié", "Employee"),
    ("11", "Personne à la recherche d'un emploi", "Job seeker"),
    ("12", "Inactif", "Inactive"),
)

#: The diplomas and titles, grouped by level as the form lists them (highest held, last prepared, prepared here).
DIPLOMAS = _codes(
    "diplôme ou titre",
    ("25", "Diplôme national du brevet", "Diplôme national du brevet (lower secondary)"),
    ("26", "Certificat de formation générale", "Certificate of general education"),
    ("13", "Aucun diplôme ni titre professionnel", "No diploma or vocational title"),
    ("33", "CAP", "CAP (vocational certificate)"),
    ("34", "BEP", "BEP (vocational studies certificate)"),
    ("35", "Mention complémentaire", "Additional qualification (mention complémentaire)"),
    ("38", "Autre diplôme ou titre de niveau CAP/BEP", "Other diploma or title at CAP/BEP level"),
    ("41", "Baccalauréat professionnel", "Vocational baccalaureate"),
    ("42", "Baccalauréat général", "General baccalaureate"),
    ("43", "Baccalauréat technologique", "Technological baccalaureate"),
    ("49", "Autre diplôme ou titre de niveau bac", "Other diploma or title at baccalaureate level"),
    ("54", "Brevet de technicien supérieur", "BTS (advanced technician certificate)"),
    ("55", "Diplôme universitaire de technologie", "DUT (university diploma of technology)"),
    ("58", "Autre diplôme ou titre de niveau bac+2", "Other diploma or title at bac+2 level"),
    ("61", "1re année de master", "First year of a master's degree"),
    ("62", "Licence professionnelle", "Vocational bachelor's degree"),
    ("63", "Licence générale", "Bachelor's degree"),
    ("69", "Autre diplôme ou titre de niveau bac+3 ou 4", "Other diploma or title at bac+3 or 4 level"),
    ("71", "Master professionnel / DESS", "Professional master's degree / DESS"),
    ("72", "Master recherche / DEA", "Research master's degree / DEA"),
    ("73", "Master indifférencié", "Master's degree"),
    ("74", "Diplôme d'ingénieur, diplôme d'école de commerce", "Engineering or business school diploma"),
    ("79", "Autre diplôme ou titre de niveau bac+5 ou plus", "Other diploma or title at bac+5 level or above"),
    ("80", "Doctorat", "Doctorate"),
)

#: The level (cadre national des certifications, décret 2019-14) of each diploma of DIPLOMAS: what R6223-22
#: compares with the mentor's own level. The lower-secondary certificates and "none" count as 0 (no level).
DIPLOMA_LEVELS: Mapping[str, int] = {
    **dict.fromkeys(("25", "26", "13"), 0), **dict.fromkeys(("33", "34", "35", "38"), 3),
    **dict.fromkeys(("41", "42", "43", "49"), 4), **dict.fromkeys(("54", "55", "58"), 5),
    **dict.fromkeys(("61", "62", "63", "69"), 6), **dict.fromkeys(("71", "72", "73", "74", "79"), 7), "80": 8,
}

LEVELS = _codes(
    "niveau de diplôme",
    ("0", "Aucun diplôme ou titre", "No diploma or title"),
    ("3", "CAP, BEP", "CAP, BEP"),
    ("4", "Baccalauréat", "Baccalaureate"),
    ("5", "DEUG, BTS, DUT, DEUST", "DEUG, BTS, DUT, DEUST (bac+2)"),
    ("6", "Licence, licence professionnelle, BUT, maîtrise", "Bachelor's degree, BUT, maîtrise (bac+3/4)"),
    ("7", "Master, DEA, DESS, diplôme d'ingénieur", "Master's degree, engineering diploma (bac+5)"),
    ("8", "Doctorat, habilitation à diriger des recherches", "Doctorate, habilitation"),
)

LAST_CLASSES = _codes(
    "dernière classe ou année suivie",
    ("01", "Dernière année du cycle suivie, diplôme ou titre obtenu",
     "Final year of the cycle attended, diploma or title obtained"),
    ("11", "1re année du cycle suivie et validée", "First year of the cycle attended and passed"),
    ("12", "1re année du cycle suivie, non validée", "First year of the cycle attended, not passed"),
    ("21", "2e année du cycle suivie et validée", "Second year of the cycle attended and passed"),
    ("22", "2e année du cycle suivie, non validée", "Second year of the cycle attended, not passed"),
    ("31", "3e année du cycle suivie et validée", "Third year of the cycle attended and passed"),
    ("32", "3e année du cycle suivie, non validée", "Third year of the cycle attended, not passed"),
    ("40", "1er cycle de l'enseignement secondaire achevé (collège)", "Lower secondary school completed"),
    ("41", "Études interrompues en classe de 3e", "Studies stopped in the 3e (year 10)"),
    ("42", "Études interrompues en classe de 4e", "Studies stopped in the 4e (year 9)"),
)

CONTRACT_MODES = _codes(
    "mode contractuel",
    ("1", "À durée limitée", "Fixed term"),
    ("2", "Dans le cadre d'un CDI", "Within an open-ended contract"),
    ("3", "Entreprise de travail temporaire", "Temporary work agency"),
    ("4", "Activités saisonnières à deux employeurs", "Seasonal work with two employers"),
)

CONTRACT_TYPES = _codes(
    "type de contrat ou d'avenant",
    ("11", "Premier contrat d'apprentissage de l'apprenti", "The apprentice's first apprenticeship contract"),
    ("21", "Nouveau contrat, le précédent achevé chez le même employeur",
     "New contract, the previous one completed with the same employer"),
    ("22", "Nouveau contrat, le précédent achevé chez un autre employeur",
     "New contract, the previous one completed with another employer"),
    ("23", "Nouveau contrat, le précédent rompu chez un autre employeur",
     "New contract, the previous one broken with another employer"),
    ("31", "Avenant : modification de la situation juridique de l'employeur",
     "Amendment: change in the employer's legal situation"),
    ("32", "Avenant : changement d'employeur dans le cadre d'un contrat saisonnier",
     "Amendment: change of employer in a seasonal contract"),
    ("33", "Avenant : prolongation à la suite d'un échec à l'examen",
     "Amendment: extension after a failed exam"),
    ("34", "Avenant : prolongation à la suite de la reconnaissance du handicap",
     "Amendment: extension after recognition of a disability"),
    ("35", "Avenant : modification du diplôme préparé", "Amendment: change of the diploma prepared"),
    ("36", "Avenant : autres changements (maître d'apprentissage, durée du travail, rémunération…)",
     "Amendment: other changes (mentor, working time, pay…)"),
    ("37", "Avenant : modification du lieu d'exécution du contrat", "Amendment: change of workplace"),
    ("38", "Avenant : modification du lieu principal de la formation théorique",
     "Amendment: change of the main training place"),
)
FIRST_CONTRACT = "11"
AMENDMENTS = frozenset({"31", "32", "33", "34", "35", "36", "37", "38"})
#: An amendment extending the contract after a failed exam: the apprentice repeats (R6223-6's extra place).
EXTENSION_AFTER_FAILED_EXAM = "33"

DEROGATIONS = _codes(
    "type de dérogation",
    ("11", "Âge de l'apprenti inférieur à 16 ans", "Apprentice under 16"),
    ("12", "Âge supérieur à 29 ans : cas spécifiques prévus par le code du travail",
     "Apprentice over 29: cases the Code du travail provides for"),
    ("21", "Réduction de la durée du contrat ou de la période d'apprentissage",
     "Shorter contract or apprenticeship period"),
    ("22", "Allongement de la durée du contrat ou de la période d'apprentissage",
     "Longer contract or apprenticeship period"),
    ("50", "Cumul de dérogations", "Several derogations"),
    ("60", "Autre dérogation", "Other derogation"),
)

PAY_REFERENCES = _codes(
    "référence de la rémunération",
    ("SMIC", "SMIC", "Minimum wage (SMIC)"),
    ("SMC", "Salaire minimum conventionnel", "Collective agreement minimum (SMC)"),
)

#: Every list, by the name pages and the API give it.
CODE_LISTS: Mapping[str, CodeList] = {
    "employer_types": EMPLOYER_TYPES, "specific_employers": SPECIFIC_EMPLOYERS, "sexes": SEXES,
    "nationalities": NATIONALITIES, "social_schemes": SOCIAL_SCHEMES, "situations": SITUATIONS,
    "diplomas": DIPLOMAS, "levels": LEVELS, "last_classes": LAST_CLASSES, "contract_modes": CONTRACT_MODES,
    "contract_types": CONTRACT_TYPES, "derogations": DEROGATIONS, "pay_references": PAY_REFERENCES,
}

#: Départements as the form writes a birth place: 01-95 (2A and 2B for Corsica), the overseas départements and
#: collectivities (3 digits), 99 for a birth abroad. Codes only: the form shows no name.
BORN_ABROAD = "99"
DEPARTMENTS = frozenset(
    [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"]
    + ["971", "972", "973", "974", "975", "976", "977", "978", "986", "987", "988", BORN_ABROAD]
)
