"""What the OpenAPI document says about the API as a whole: its description and one paragraph per tag.

Read at /docs and /redoc (served offline: contract_flow.http.docs) and in /openapi.json.
"""

from __future__ import annotations

from typing import Any

DESCRIPTION = """\
Apprenticeship cases from the first reflection to the signed contract and beyond, for a CFA's staff, the school
tutors, the company mentors and the apprentices. The pages (/login) and this API call the same use cases.

**Authentication.** Every call but `GET /api/v1/health` sends `Authorization: Bearer <token>`. A token belongs to
one user and carries their role and scope: `contract-flow user add` prints one (`contract-flow user token EMAIL`
a new one), `contract-flow demo
--tokens` prints one per demo user (`make run` does). Click *Authorize* above and paste it to try the calls here.

**Scope.** CFA staff (advisors, programme leads) see their CFA's cases; a tutor, a mentor and an apprentice see the
cases they take part in. A case out of your scope answers 404, as a missing one does.

**Versions.** A case's answers carry its version as an `ETag`; send it back as `If-Match` on a write so that a
change made meanwhile by someone else is refused (409) instead of overwritten.

**Moves.** A case moves through its states by triggers (`POST /api/v1/cases/{id}/transitions`). `GET
/api/v1/cases/{id}` lists the triggers allowed now (`allowed`) and, for each other one, what blocks it
(`blocked`): the facts to record first or the date before which the law forbids the move.

**Errors** are JSON: `{"error": code, "message": sentence, "field": the field at fault or null}`, with `reasons`
when a guard refused a move, `allowed` when the trigger does not apply to the case's state, `errors` listing every
invalid field. Texts meant for people (labels, reasons) follow `Accept-Language` (French by default, English on
request).
"""

#: Tags in the order the documents list them, each with what its operations are for.
TAGS: list[dict[str, Any]] = [
    {"name": "cases", "description": "Open, list and read cases; move them by their triggers; record their facts "
                                     "(project, applications, offer, contract terms, absences)."},
    {"name": "reviews", "description": "The reviews of an apprentice in the company (tutor, mentor, apprentice): "
                                       "plan, log what took place, acknowledge the report."},
    {"name": "dossier", "description": "The contract dossier (CERFA FA13) being filled, section by section, and "
                                       "its downloads (PDF, JSON, kept versions)."},
    {"name": "filing", "description": "The signed contract's filing with its OPCO and the OPCO's answer."},
    {"name": "amendments", "description": "Amendments to a signed contract."},
    {"name": "invoices", "description": "The employer participation to invoice, one line per contract."},
    {"name": "tdb", "description": "The Tableau de bord de l'apprentissage: the CFA's learners as it takes "
                              "them (a file), pushed to it, and the pushes with their errors."},
    {"name": "board", "description": "Counts per programme and state, and the cases at risk."},
    {"name": "exports", "description": "Lists of cases (any filter of the lists, the cases at risk) as CSV or .xlsx "
                                       "for CFA staff, each export logged; the log."},
    {"name": "programmes", "description": "The CFA's programmes: seats, dates, school calendar."},
    {"name": "users", "description": "The CFA's users, as its programme lead manages them: added with a login link "
                                     "by email, renamed, given another role, deactivated."},
    {"name": "privacy", "description": "A person's data exported (RGPD art. 15, 20) and erased (art. 17), refused "
                                       "while a live contract needs it; the log of what was anonymised."},
    {"name": "inbox", "description": "Your in-app messages (the reminders sent to you)."},
    {"name": "me", "description": "Your to-do list («Mes actions»): what you must supply or do on your cases, by "
                                  "when, and when each case moves on."},
    {"name": "rules", "description": "The legal rule set in force and what a new one would change."},
    {"name": "health", "description": "Whether the service and its database answer (no token needed)."},
]
