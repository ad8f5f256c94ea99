"""The web pages: server-rendered HTML (Jinja2, htmx) for each role, answering pages only.

Pages call the same service functions as the API and the CLI; what they add is a session (a signed cookie,
argon2id passwords), CSRF tokens on forms, French and English, and errors shown next to the field.
`contract_flow.asgi` serves them beside the API, in one application; nothing here imports `contract_flow.api`.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from contract_flow.web.routes import (
    advisor,
    apprentice,
    case,
    case_forms,
    dossier,
    dossier_files,
    filing,
    home,
    imports,
    invoices,
    lead,
    mentor,
    reviews,
    tdb_status,
    todo,
    tutor,
)
from contract_flow.web.routes.admin import router as admin_router
from contract_flow.web.routes.amendments import router as amendments_router
from contract_flow.web.routes.exports import router as exports_router
from contract_flow.web.routes.login_link import router as login_link_router
from contract_flow.web.routes.privacy import router as privacy_router
from contract_flow.web.routes.tdb_pushes import router as tdb_pushes_router

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
#: The pages' CSV import (POST /import) takes a file: 2 MiB is some 20,000 rows.
MAX_IMPORT_BYTES = 2 * 1024 * 1024
#: The paths whose bodies may be over the API's 64 KiB (contract_flow.http.limits), and their limit.
BODY_LIMITS = {"/import": MAX_IMPORT_BYTES}
#: The pages' routers, in the order they are included.
ROUTERS: tuple[APIRouter, ...] = (home.router, advisor.router, case_forms.router, case.router, dossier.router,
                                  dossier_files.router, filing.router, lead.router, reviews.router, tutor.router,
                                  mentor.router, apprentice.router, invoices.router, amendments_router, todo.router)
ROUTERS += (imports.router,)  # the import of candidates (CSV, .xlsx): preview, then confirm
ROUTERS += (admin_router, login_link_router)  # the programme lead's users and programmes; a new user's login link
ROUTERS += (exports_router,)  # the lists as CSV or Excel, and the log of exports (issue 16, item 5)
ROUTERS += (privacy_router,)  # a person's data found, downloaded, erased; the anonymisation log (issue 16, item 6)
ROUTERS += (tdb_status.router,)  # the TDB status block, the board's counts, the reconciliation (issue 16)
ROUTERS += (tdb_pushes_router,)  # the TDB's pushes, push now, the feed's files (issue 16, item 1)
