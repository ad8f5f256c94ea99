"""The CERFA FA13 dossier as PDF: one dossier (p95) and an intake of 1,000 streamed to a ZIP, beside the same
library drawing the blank layout (the same pages, boxes and rules, no text) in the same run.

The dossier has every section of the form (PUBLIC-SYSTEMS.md §1: employer, apprentice and legal representative,
two mentors, contract, three contract years of two pay lines each, training, signatures), about 130 fields with
plausible French values written as people read them (Babel: "1 234,56 €", "1er septembre 2026"), a few left
empty; each dossier differs from the next (names, dates, amounts), as an intake's do.

Ours: `render_pdf(document)`, layout included. The baseline, in the ratio: the blank form of the same length as a
CFA prints it before filling it in (the same pages laid out beforehand, untimed, with their boxes, rules, headings
and labels, no values), drawn by the same library. Shown beside: the bare page layout (boxes and rules, no text at
all, so no font embedded), which only says what writing any text costs with reportlab. The sides run in interleaved
rounds (the order reversed every other round), on this shared and noisy machine; the ratio is the median of the
rounds' ratios. The intake: 1,000 dossiers made one at a time and written by `write_zip` to a temporary file, timed,
with the process's peak resident memory before and after (constant memory: it must not grow).
Last line: `ratio=<our time / blank form's time>` per dossier. Targets: p95 ≤ 200 ms per dossier, ratio ≤ 1.5.
"""

from __future__ import annotations

import argparse
import io
import random
import resource
import statistics
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

import pypdf

from contract_flow.documents import Document, DocumentField, DocumentSection, render_pdf, write_zip
from contract_flow.documents.layout import INSET, VALUE_X, Page, paginate
from contract_flow.documents.pdf import draw
from contract_flow.formatting import format_day, format_money, format_percent

FIRST_NAMES = ["Léa", "Chloé", "Maël", "Noé", "Inès", "Zoé", "Jérôme", "Anaïs", "Łucja", "Bogdan", "Thaïs", "Gaël"]
LAST_NAMES = ["Lefèvre", "Dubœuf", "Nguyễn", "Martin-Lefranc", "Ożóg", "Benoît", "Çelik", "Rousseau", "Lemaître"]
TOWNS = [("69003", "Lyon"), ("42000", "Saint-Étienne"), ("38000", "Grenoble"), ("73000", "Chambéry"),
         ("01000", "Bourg-en-Bresse"), ("63000", "Clermont-Ferrand")]
STREETS = ["rue de l’Église", "avenue Jean-Jaurès", "boulevard des Frères-Lumière", "place Bellecour",
           "chemin du Moulin", "impasse des Tilleuls"]
SMIC = Decimal("1801.80")
# minimum rates by contract year and age band (L6222-27, D6222-26): 18-20, then 21-25
RATES = [(43, 53), (51, 61), (67, 78)]


def years_after(value: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 1 March."""
    try:
        return value.replace(year=value.year + years)
    except ValueError:
        return date(value.year + years, 3, 1)


def day(value: date) -> str:
    return format_day(value, "fr")


def money(value: Decimal) -> str:
    return format_money(value.quantize(Decimal("0.01")), "fr")


def dossier(number: int) -> Document:
    """Dossier `number` of the intake: the CERFA's sections in its order, every field labelled as on the form."""
    draw_ = random.Random(number)
    first, last = draw_.choice(FIRST_NAMES), draw_.choice(LAST_NAMES)
    postcode, town = draw_.choice(TOWNS)
    start = date(2026, 9, 1) + timedelta(days=draw_.randrange(60))
    birth = start - timedelta(days=draw_.randrange(18 * 365 + 5, 20 * 365))
    end = date(start.year + 3, start.month, start.day) - timedelta(days=1)
    band_change = years_after(birth, 21)
    siret = f"{draw_.randrange(10**13, 10**14)}"
    nir = f"{2 if first in {'Léa', 'Chloé', 'Inès', 'Zoé', 'Anaïs', 'Łucja', 'Thaïs'} else 1}" \
          f"{birth.year % 100:02d}{birth.month:02d}69{draw_.randrange(100, 999)}{draw_.randrange(100, 999)} " \
          f"{draw_.randrange(1, 97):02d}"
    field = DocumentField

    employer = DocumentSection("L’employeur", [
        field("Employeur privé ou public", "Employeur privé"),
        field("Nom ou dénomination", f"Boulangerie {draw_.choice(LAST_NAMES)} & Fils SARL"),
        field("N° SIRET de l’établissement d’exécution du contrat", f"{siret[:3]} {siret[3:6]} {siret[6:9]} "
              f"{siret[9:]}"),
        field("Adresse de l’établissement : n°", str(draw_.randrange(1, 120))),
        field("Voie", draw_.choice(STREETS)),
        field("Complément", "Bâtiment B, 2e étage" if number % 3 == 0 else None),
        field("Code postal", postcode),
        field("Commune", town),
        field("Téléphone", f"04 7{draw_.randrange(10)} {draw_.randrange(10, 99)} {draw_.randrange(10, 99)} "
              f"{draw_.randrange(10, 99)}"),
        field("Courriel", f"contact@boulangerie-{number}.fr"),
        field("Type d’employeur", "12 — Entreprise inscrite au registre du commerce et des sociétés (RCS)"),
        field("Employeur spécifique", "0 — Aucun de ces cas"),
        field("Code activité de l’entreprise (NAF)", "10.71C — Boulangerie et boulangerie-pâtisserie"),
        field("Effectif salarié de l’entreprise", str(draw_.randrange(1, 40))),
        field("Code IDCC de la convention collective applicable", "0843"),
        field("Intitulé de la convention collective",
              "Convention collective nationale de la boulangerie-pâtisserie (entreprises artisanales)"),
        field("Opérateur de compétences (OPCO)", "OPCO EP — Entreprises de proximité"),
        field("Caisse de retraite complémentaire", "AG2R La Mondiale"),
    ])
    apprentice = DocumentSection("L’apprenti(e)", [
        field("Nom de naissance", last.upper()),
        field("Nom d’usage", None),
        field("Premier prénom", first),
        field("Sexe", "F" if nir.startswith("2") else "M"),
        field("Date de naissance", day(birth)),
        field("Né(e) en France", "Oui"),
        field("Département de naissance", "069 — Rhône"),
        field("Commune de naissance", "Lyon 3e Arrondissement"),
        field("N° de sécurité sociale (NIR)", nir),
        field("Nationalité", "1 — Française"),
        field("Régime social", "2 — URSSAF"),
        field("Adresse : n°", str(draw_.randrange(1, 200))),
        field("Voie", draw_.choice(STREETS)),
        field("Complément", None),
        field("Code postal", postcode),
        field("Commune", town),
        field("Téléphone", f"06 {draw_.randrange(10, 99)} {draw_.randrange(10, 99)} {draw_.randrange(10, 99)} "
              f"{draw_.randrange(10, 99)}"),
        field("Courriel", f"{first.lower()}.{number}@exemple.fr"),
        field("Projet de création ou de reprise d’entreprise", "Non"),
        field("Inscrit(e) sur la liste des sportifs de haut niveau", "Non"),
        field("Reconnaissance de la qualité de travailleur handicapé (RQTH)", "Non"),
        field("Bénéficiaire de l’obligation d’emploi (BOE)", "Non"),
        field("Équivalence jeunes (personne handicapée)", "Non"),
        field("Situation avant ce contrat", "1 — Scolaire"),
        field("Diplôme ou titre le plus élevé préparé", "42 — Baccalauréat professionnel"),
        field("Intitulé précis du dernier diplôme ou titre préparé", "Bac pro Boulanger-pâtissier"),
        field("Diplôme ou titre le plus élevé obtenu", "42 — Baccalauréat professionnel"),
        field("Dernière classe ou année suivie", "01 — L’apprenti a suivi la dernière année du cycle"),
        field("Apprenti(e) mineur(e) à la signature", "Non"),
        field("Mineur(e) non émancipé(e)", "Non"),
    ])
    representative = DocumentSection("Le représentant légal (apprenti(e) mineur(e) non émancipé(e))", [
        field("Nom de naissance et prénom", None),
        field("Courriel", None),
        field("Adresse", None),
        field("Commune", None),
    ])
    mentors = [DocumentSection(f"Le maître d’apprentissage n° {rank}", [
        field("Nom de naissance", draw_.choice(LAST_NAMES).upper() if rank == 1 or number % 2 else None),
        field("Prénom", draw_.choice(FIRST_NAMES) if rank == 1 or number % 2 else None),
        field("Date de naissance", day(date(1970 + draw_.randrange(25), 1 + draw_.randrange(12), 1
                                            + draw_.randrange(28))) if rank == 1 or number % 2 else None),
        field("Emploi occupé", "Boulanger, chef de fabrication" if rank == 1 or number % 2 else None),
        field("Diplôme ou titre le plus élevé obtenu", "Brevet de maîtrise boulanger" if rank == 1 else None),
        field("Niveau de ce diplôme", "5" if rank == 1 else None),
        field("Années d’expérience professionnelle en rapport avec la qualification visée",
              str(3 + draw_.randrange(20)) if rank == 1 or number % 2 else None),
        field("Courriel", f"maitre{rank}.{number}@boulangerie-{number}.fr" if rank == 1 or number % 2 else None),
        field("L’employeur atteste que le maître d’apprentissage remplit les conditions d’éligibilité",
              "Oui" if rank == 1 or number % 2 else None),
    ]) for rank in (1, 2)]
    contract = DocumentSection("Le contrat", [
        field("Mode contractuel de l’apprentissage", "1 — À durée limitée"),
        field("Type de contrat ou d’avenant", "11 — Premier contrat d’apprentissage de l’apprenti"),
        field("Type de dérogation", None),
        field("Numéro du contrat précédent (DECA)", None),
        field("Date de conclusion (signature)", day(start - timedelta(days=10))),
        field("Date de début d’exécution du contrat", day(start)),
        field("Date de début de la formation pratique chez l’employeur", day(start)),
        field("Date de fin du contrat", day(end)),
        field("Date d’effet de l’avenant", None),
        field("Durée hebdomadaire du travail", "35 heures 00 minute"),
        field("Travail sur machines dangereuses ou exposition à des risques particuliers",
              "Oui — four, pétrin, laminoir (déclaration de dérogation du 3 juillet 2026)"),
        field("Avantages en nature : nourriture", f"{money(Decimal('4.15'))} par repas"),
        field("Avantages en nature : logement", None),
        field("Autres avantages en nature", None),
        field("Salaire brut mensuel à l’embauche", money(SMIC * RATES[0][0] / 100)),
        field("Caisse de retraite complémentaire", "AG2R La Mondiale"),
    ])
    lines = []
    for year, (young, older) in enumerate(RATES, start=1):
        year_start = date(start.year + year - 1, start.month, start.day)
        year_end = date(start.year + year, start.month, start.day) - timedelta(days=1)
        split = min(max(band_change, year_start + timedelta(days=90)), year_end - timedelta(days=90))
        for period, (first_day, last_day, rate) in enumerate(
                [(year_start, split - timedelta(days=1), young), (split, year_end, older)], start=1):
            heading = f"{year}{'re' if year == 1 else 'e'} année, période {period}"
            lines += [
                field(f"{heading} : du … au …", f"du {day(first_day)} au {day(last_day)}"),
                field(f"{heading} : taux (minimum légal)", f"{format_percent(rate, 'fr')} "
                      f"(minimum {format_percent(rate, 'fr')})"),
                field(f"{heading} : salaire de référence", "SMIC"),
                field(f"{heading} : montant brut mensuel", money(SMIC * rate / 100)),
            ]
    pay = DocumentSection("La rémunération", lines)
    training = DocumentSection("La formation", [
        field("CFA d’entreprise", "Non"),
        field("Dénomination du CFA responsable", "CFA des Métiers de bouche de Lyon"),
        field("N° UAI du CFA", "0693541K"),
        field("N° SIRET du CFA", "197 308 490 00018"),
        field("Adresse du CFA", "8 rue Fulchiron, 69005 Lyon"),
        field("Lieu de formation, s’il diffère du CFA : dénomination",
              "Lycée des métiers Hélène-Boucher" if number % 4 == 0 else None),
        field("Lieu de formation : N° UAI", "0690034H" if number % 4 == 0 else None),
        field("Lieu de formation : N° SIRET", None),
        field("Lieu de formation : adresse", "15 avenue de Saxe, 69006 Lyon" if number % 4 == 0 else None),
        field("Diplôme ou titre visé par l’apprenti(e)", "Brevet professionnel Boulanger"),
        field("Code du diplôme", "45022107"),
        field("Code RNCP", "RNCP37875"),
        field("Type de diplôme", "Brevet professionnel (niveau 4)"),
        field("Date de début du cycle de formation", day(start)),
        field("Date prévue de fin des épreuves ou examens", day(end - timedelta(days=60))),
        field("Durée de la formation (heures)", "1 200"),
        field("dont formation à distance (heures)", "120"),
    ])
    signatures = DocumentSection("Signatures", [
        field("Fait à", town),
        field("Le", day(start - timedelta(days=10))),
        field("L’employeur atteste disposer de l’ensemble des pièces justificatives nécessaires au dépôt du "
              "contrat", "Oui"),
        field("Participation de l’employeur (diplôme de niveau 6 ou plus)", None),
    ])
    return Document(
        title="Contrat d’apprentissage — CERFA FA13 n° 10103*14",
        subtitle=f"Dossier n° {number} · version 1 · {first} {last.upper()}",
        sections=[employer, apprentice, representative, *mentors, contract, pay, training, signatures],
        footer="Établi par contract-flow pour le CFA des Métiers de bouche de Lyon ; à signer par l’employeur et "
               "l’apprenti(e), puis à déposer auprès de l’OPCO dans les 5 jours ouvrables suivant le début.",
    )


def intake(count: int) -> Iterator[tuple[str, Document]]:
    for number in range(1, count + 1):
        yield f"dossier-{number:04d}.pdf", dossier(number)


def without_values(pages: list[Page]) -> list[Page]:
    """The blank form as printed: the same pages with their boxes, headings and labels, the values left out."""
    return [Page(page.boxes, [text for text in page.texts if text.x != VALUE_X + INSET]) for page in pages]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stream_intake(count: int) -> bool:
    """The intake to a ZIP in a temporary file, timed; the process's peak memory before and after."""
    rss_before = peak_rss_mib()
    with tempfile.TemporaryFile() as out:
        began = time.perf_counter()
        write_zip(intake(count), out)
        seconds = time.perf_counter() - began
        size = out.tell()
        out.seek(0)
        with zipfile.ZipFile(out) as archive:
            entries = len(archive.namelist())
    if entries != count:
        print(f"the ZIP holds {entries} files, not {count}")
        return False
    print(f"intake: {count:,} dossiers to a ZIP in {seconds:.2f} s ({count / seconds:.0f}/s), "
          f"{size / 2**20:.1f} MiB; peak memory (max RSS) {rss_before:.0f} MiB before, {peak_rss_mib():.0f} MiB "
          f"after")
    return True


def compare(renders: int, rounds: int) -> tuple[float, float]:
    """Ours, the blank layout and the blank form over the same dossiers in interleaved rounds; returns the median
    of the rounds' ratios ours / blank, and ours / blank form."""
    documents = [dossier(number) for number in range(2, 2 + renders)]
    layouts = [paginate(document) for document in documents]
    forms = [without_values(pages) for pages in layouts]
    times: dict[str, list[float]] = {"ours": [], "blank": [], "form": []}
    ratios, form_ratios = [], []
    bounds = [renders * r // rounds for r in range(rounds + 1)]
    for r in range(rounds):
        spent = dict.fromkeys(times, 0.0)
        for index in range(bounds[r], bounds[r + 1]):
            document = documents[index]
            sides: list[tuple[str, Callable[[], bytes]]] = [
                ("ours", partial(render_pdf, document)),
                ("blank", partial(draw, layouts[index], title=document.title, subject=document.subtitle, text=False)),
                ("form", partial(draw, forms[index], title=document.title, subject=document.subtitle)),
            ]
            for side, render in sides if r % 2 == 0 else reversed(sides):
                began = time.perf_counter()
                render()
                took = time.perf_counter() - began
                times[side].append(took)
                spent[side] += took
        ratios.append(spent["ours"] / spent["blank"])
        form_ratios.append(spent["ours"] / spent["form"])
    ours, blank, form = times["ours"], times["blank"], times["form"]
    print(f"ours:  p50 {statistics.median(ours) * 1000:.1f} ms, p95 {percentile(ours, 0.95) * 1000:.1f} ms "
          f"per dossier (target ≤ 200 ms), {renders} dossiers")
    print(f"blank form, labels without values: p50 {statistics.median(form) * 1000:.1f} ms; "
          f"ours / it = {statistics.median(form_ratios):.3f} (what filling in the values costs)")
    print(f"blank: p50 {statistics.median(blank) * 1000:.1f} ms, p95 {percentile(blank, 0.95) * 1000:.1f} ms "
          f"(same pages, boxes and rules, no text)")
    print(f"rounds' ratios from {min(ratios):.3f} to {max(ratios):.3f}; totals' ratio {sum(ours) / sum(blank):.3f}")
    return statistics.median(ratios), statistics.median(form_ratios)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--renders", type=int, default=400, help="dossiers rendered on each side, timed one by one")
    parser.add_argument("--rounds", type=int, default=20, help="interleaved rounds the renders are split in")
    parser.add_argument("--intake", type=int, default=1_000, help="dossiers streamed to the ZIP")
    options = parser.parse_args()

    sample = dossier(1)
    ours_pdf = render_pdf(sample)
    blank_pdf = draw(paginate(sample), title=sample.title, subject=sample.subtitle, text=False)
    pages = len(pypdf.PdfReader(io.BytesIO(ours_pdf)).pages)
    blank_pages = len(pypdf.PdfReader(io.BytesIO(blank_pdf)).pages)
    if pages != blank_pages:
        print(f"the sides differ: {pages} pages ours, {blank_pages} blank")
        return 1
    fields = [item for section in sample.sections for item in section.fields]
    print(f"dossier: {len(sample.sections)} sections, {len(fields)} fields "
          f"({sum(item.is_empty for item in fields)} empty), {pages} A4 pages; "
          f"PDF {len(ours_pdf) / 1024:.0f} KiB, blank {len(blank_pdf) / 1024:.0f} KiB")
    # the intake first, while the process's peak memory is still that of one dossier
    if not stream_intake(options.intake):
        return 1
    bare, form = compare(options.renders, options.rounds)
    print(f"ours / bare layout without any text: {bare:.3f}")
    print(f"ratio={form:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
