"""A reason a dossier may not be signed: the field it is about, why, and the article (or form) that says so.

Why, in the words of each language: a refusal the dossier's checks give carries a `Message`, a key of `REASONS`
and its values (a date, an amount, a number). Its English text is `reason`, as the API, the logs and the guards
give it; the pages and the CLI show it in the reader's language, formatted by Babel outside the domain
(`services.views.refusal_text`). A reason that only exists in English (a rule set's own message) has no message.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, TypeAlias

from contract_flow.domain.dossier.codes import Label
from contract_flow.domain.reasons import Reason

if TYPE_CHECKING:
    from contract_flow.domain.dossier.completeness import Missing

#: The reasons of the dossier's checks, in French and English, their values in braces. A value whose name ends
#: in `_eur` is an amount, `_pct` a rate in percent; a date is a day; a Label or a Message is put in its language.
REASONS: Mapping[str, Label] = {
    # a refusal the rules said in their own words (a domain.reasons.Reason): a date the rule set does not cover
    "said": Label(fr="{reason}", en="{reason}"),
    "missing": Label(fr="{label} : champ à remplir", en="{label} is missing"),
    "minor_yes": Label(
        fr="l'apprenti a {age} ans à la date de signature du {signed} : il est mineur, la case « mineur » est donc "
           "« oui »",
        en="the apprentice is {age} on the signature date {signed}: a minor, so minor is yes"),
    "minor_no": Label(
        fr="l'apprenti a {age} ans à la date de signature du {signed} : il est majeur, la case « mineur » est donc "
           "« non »",
        en="the apprentice is {age} on the signature date {signed}: an adult, so minor is no"),
    "emancipation_unknown": Label(
        fr="l'apprenti a {age} ans à la date de signature : indiquez s'il est émancipé",
        en="the apprentice is {age} on the signature date: say whether they are emancipated"),
    "representative": Label(
        fr="un mineur de {age} ans non émancipé signe avec son représentant légal, dont le nom, l'adresse "
           "électronique et l'adresse figurent sur le formulaire",
        en="a minor of {age} who is not emancipated signs with a legal representative, whose name, email and "
           "address are on the form"),
    "minor_hours": Label(
        fr="l'apprenti a {age} ans au début du contrat, le {start} : un mineur travaille au plus {most} heures par "
           "semaine, pas {hours} h {minutes}",
        en="the apprentice is {age} on the contract start {start}: a minor works at most {most} hours a week, not "
           "{hours} h {minutes}"),
    "training_start": Label(
        fr="{begins} : la formation au CFA commence au plus {months} mois avant ou après le début du contrat, le "
           "{start}, soit du {first} au {last}",
        en="{begins}: the CFA training starts within {months} months of the contract start {start}, from {first} "
           "to {last}"),
    "end_before_exams": Label(
        fr="le {end} est avant la fin prévue des examens, le {exams} : le contrat couvre la formation, examens "
           "compris",
        en="{end} is before the planned end of the exams {exams}: the contract covers the training, exams "
           "included"),
    "mentor_experience": Label(
        fr="{years} an(s) d'expérience en rapport avec la qualification : {why} ; il en faut donc {needed}",
        en="{years} year(s) of related experience: {why}, so {needed} years are needed"),
    "mentor_level_unknown": Label(
        fr="le niveau du diplôme préparé n'est pas connu (training.diploma_type)",
        en="the level of the diploma prepared is not known (training.diploma_type)"),
    "mentor_other_field": Label(
        fr="le diplôme du maître d'apprentissage n'est pas du domaine de celui préparé",
        en="the mentor's diploma is not in the field of the one prepared"),
    "mentor_level_below": Label(
        fr="le diplôme du maître d'apprentissage est de niveau {held}, sous le niveau {level} préparé",
        en="the mentor's diploma is of level {held}, below the level {level} prepared"),
    "mentor_needs_a_year": Label(
        fr="un diplôme du domaine demande au moins {years} an d'expérience en rapport",
        en="a diploma in the field needs at least {years} year of related experience"),
    "mentor_load": Label(
        fr="le maître d'apprentissage suit déjà {count} apprenti(s) (dont {repeating} prolongé(s) après un échec à "
           "l'examen) : ce contrat en ferait {would}, plus que {most}",
        en="the mentor already follows {count} apprentice(s) ({repeating} repeating after a failed exam): this "
           "contract would make {would}, more than {most}"),
    "mentor_minor": Label(fr="le maître d'apprentissage a {age} ans au début du contrat, le {start}",
                          en="the mentor is {age} on the contract start {start}"),
    "mentor_born_after": Label(fr="le {born} n'est pas avant le début du contrat",
                               en="{born} is not before the contract start"),
    "mentor_attested": Label(
        fr="l'employeur atteste sur le formulaire que le maître d'apprentissage remplit les conditions",
        en="the employer attests on the form that the mentor is eligible"),
    "born_after_start": Label(fr="le {born} n'est pas avant le début du contrat, le {start}",
                              en="{born} is not before the contract start {start}"),
    "pay_periods": Label(fr="les lignes de salaire suivent les années du contrat et les tranches d'âge : {periods}",
                         en="the pay lines follow the contract years and the age bands: {periods}"),
    "pay_period": Label(fr="année {year} du {start} au {end} ({band}, {minimum_pct} % du {reference})",
                        en="year {year} from {start} to {end} ({band}, {minimum_pct} % of the {reference})"),
    "pay_where": Label(fr="l'année {year}, {band}, à partir du {start}", en="year {year}, {band}, from {start}"),
    "pay_reference": Label(fr="le minimum de {where} est une part du {reference}",
                           en="the minimum of {where} is a share of the {reference}"),
    "pay_minimum_rate": Label(fr="le taux minimum légal de {where} est de {minimum_pct} %",
                              en="the legal minimum rate of {where} is {minimum_pct} %"),
    "pay_rate_below": Label(
        fr="{rate_pct} % est sous le minimum légal de {minimum_pct} % du {reference} ({where}) ; l'employeur ne "
           "peut que payer plus",
        en="{rate_pct} % is below the legal minimum of {minimum_pct} % of the {reference} ({where}); the employer "
           "may only pay more"),
    "pay_gross_below": Label(fr="{gross_eur} est sous le minimum légal de {minimum_eur} ({where})",
                             en="{gross_eur} is below the legal minimum {minimum_eur} ({where})"),
    "pay_gross_below_rate": Label(
        fr="{gross_eur} est moins que le taux de la ligne elle-même : {rate_pct} % du {reference} de "
           "{reference_eur} = {due_eur}",
        en="{gross_eur} is less than the line's own rate, {rate_pct} % of the {reference} {reference_eur} = "
           "{due_eur}"),
}

#: What a message's value may be.
Value: TypeAlias = "str | int | Decimal | date | Label | Message | tuple[Message, ...] | None"
#: How a value is written for people: (its name, the value, the language) -> text.
Writer: TypeAlias = Callable[[str, object, str], str]


def plain(name: str, value: object, language: str) -> str:
    """The English of the API: ISO dates, amounts with two decimals and the euro sign."""
    if isinstance(value, Decimal) and name.endswith("_eur"):
        return f"{value:.2f} €"
    return value.isoformat() if isinstance(value, date) else str(value)


@dataclass(frozen=True)
class Message:
    """A reason by its key in REASONS and its values; a tuple of messages is a list (joined by "; ")."""

    key: str
    values: tuple[tuple[str, Value], ...] = ()

    def __post_init__(self) -> None:
        if self.key not in REASONS:
            raise KeyError(f"no reason {self.key!r} in REASONS")

    def text(self, language: str, write: Writer = plain) -> str:
        """The message in `language`, each value put in words by `write`."""
        return REASONS[self.key].in_language(language).format(
            **{name: _put(name, value, language, write) for name, value in self.values})


def _put(name: str, value: object, language: str, write: Writer) -> str:
    if isinstance(value, Message | Reason):
        return value.text(language, write)
    if isinstance(value, tuple):
        return "; ".join(_put(name, part, language, write) for part in value)
    if isinstance(value, Label):
        return value.in_language(language)
    return write(name, value, language)


@dataclass(frozen=True)
class Refusal:
    field: str  # "contract.weekly_hours", "mentors.1.experience_years", "pay.2.rate"
    reason: str  # in English
    article: str
    #: The reason in words of each language; None: only the English exists (two refusals are equal by the first
    #: three: the same reason in English is the same reason).
    message: Message | None = dataclasses.field(default=None, compare=False)

    def __str__(self) -> str:
        return f"{self.field}: {self.reason} ({self.article})"

    def as_rule(self) -> Reason:
        """The rule broken and its article, worded in the reader's language (an InvalidInput's rule)."""
        return Reason("breaks_rule", reason=self.message or self.reason, article=self.article)


def refused(field_name: str, key: str, article: str, **values: Value) -> Refusal:
    """A refusal of the checks, its English reason from its message."""
    message = Message(key, tuple(values.items()))
    return Refusal(field_name, message.text("en"), article, message)


def message(key: str, **values: Value) -> Message:
    """A message to put inside another (where a pay line's period starts, why a mentor is not eligible)."""
    return Message(key, tuple(values.items()))


def said_refusal(field_name: str, reason: str, article: str) -> Refusal:
    """A refusal whose reason the rules gave (a Reason worded in both languages, or English only): its English is
    the reason itself."""
    worded = Message("said", (("reason", reason),)) if isinstance(reason, Reason) else None
    return Refusal(field_name, str(reason), article, worded)


def missing_refusal(absent: Missing) -> Refusal:
    """What the form requires and the dossier lacks, as a refusal of the signature."""
    return refused(absent.field, "missing", absent.why, label=absent.label)
