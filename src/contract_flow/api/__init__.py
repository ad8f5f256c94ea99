"""The HTTP API (FastAPI): thin routes over the same use cases as the command line, answering JSON only.

`contract_flow.asgi` serves these routes beside the pages; nothing here imports `contract_flow.web`.
"""

from __future__ import annotations

from fastapi import APIRouter

from contract_flow.api.document import DESCRIPTION, TAGS
from contract_flow.api.errors import DOCUMENTED
from contract_flow.api.routes import cases, dossier, dossier_downloads, filing, invoices, misc, reviews, rules
from contract_flow.api.routes.admin import router as admin_router
from contract_flow.api.routes.amendments import router as amendments_router
from contract_flow.api.routes.exports import router as exports_router
from contract_flow.api.routes.retention import router as retention_router
from contract_flow.api.routes.review_records import router as review_records_router
from contract_flow.api.routes.tdb import router as tdb_router
from contract_flow.api.routes.tdb_status import router as tdb_status_router
from contract_flow.api.routes.todo import router as todo_router

#: The API's routers, under /api/v1, in the order they are included.
ROUTERS: tuple[APIRouter, ...] = (misc.router, cases.router, dossier.router, dossier_downloads.router,
                                   filing.router, reviews.router, review_records_router, rules.router,
                                   invoices.router, amendments_router, todo_router)
ROUTERS += (admin_router,)  # the programme lead's users and programmes (issue 15, item 5)
ROUTERS += (tdb_router,)  # the Tableau de bord's feed and pushes (issue 16, item 1)
ROUTERS += (retention_router,)  # a person's data exported and erased, the anonymisation log (issue 16, item 6)
ROUTERS += (tdb_status_router,)  # the TDB's status of a case and the reconciliation (issue 16, items 3 and 4)
# the nominative exports (issue 16, item 5), first: GET /cases/export is not /cases/{case_id}
ROUTERS = (exports_router, *ROUTERS)

__all__ = ["DESCRIPTION", "DOCUMENTED", "ROUTERS", "TAGS"]
