"""The Tableau de bord's pushes as a page (issue 16, item 1): /tdb/pushes lists the CFA's last pushes, newest
first, each with its learners' errors, every error linked to the case and to the form or dossier section that holds
the field to fix; a button pushes now, two links download the feed (JSON, or the .xlsx the TDB takes by upload).
CFA staff only, their CFA's: the same use cases as `contract-flow tdb push|pushes|export` and the API
(services/tdb.py)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO, Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, StreamingResponse

from contract_flow.domain.access import STAFF
from contract_flow.domain.errors import InvalidInput, NotNow
from contract_flow.http.deps import Services
from contract_flow.services.access import require_role
from contract_flow.services.tdb import export_feed, feed_request, list_pushes, push_feed
from contract_flow.tdb_words import SOURCES, STATUSES, TRIGGERS, fix_link, is_programme_field, rule_text
from contract_flow.web.auth import Csrf, User
from contract_flow.web.render import flash, page, take_flash, translator

router = APIRouter(include_in_schema=False)
WHAT = "the CFA's Tableau de bord feed"
MEDIA = {"json": "application/json",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@router.get("/tdb/pushes")
def pushes(request: Request, app: Services, user: User) -> Response:
    require_role(user, STAFF, WHAT)
    language = translator(request, user).language
    ok, error = take_flash(request)
    return page(request, "tdb/pushes.html", user, title_key="tdb.title", flash=ok, flash_error=error,
                pushes=list_pushes(app, actor_email=user.actor, limit=12),
                statuses=STATUSES[language], triggers=TRIGGERS[language], sources=SOURCES[language],
                fix_link=fix_link, is_programme_field=is_programme_field,
                rule_text=lambda message: rule_text(message, language))


@router.post("/tdb/pushes", dependencies=[Csrf])
async def push_now(request: Request, app: Services, user: User) -> Response:
    require_role(user, STAFF, WHAT)
    t = translator(request, user)
    try:
        result = await run_in_threadpool(push_feed, app, actor_email=user.actor, trigger="page")
    except NotNow as missing:  # no address or no key: say which setting, nothing recorded
        flash(request, t(f"tdb.missing.{missing.field}", cfa=user.cfa_code or ""), "error")
        return RedirectResponse("/tdb/pushes", status_code=303)
    except InvalidInput as refused:  # a programme's settings: the file and the setting named
        flash(request, t("tdb.refused", field=refused.field, rule=refused.rule), "error")
        return RedirectResponse("/tdb/pushes", status_code=303)
    kind: Literal["ok", "error"] = "ok" if result.status in ("sent", "partial") else "error"
    flash(request, t("tdb.pushed", id=result.push_id, status=STATUSES[t.language][result.status],
                     count=result.items_sent), kind)
    return RedirectResponse(f"/tdb/pushes#push-{result.push_id}", status_code=303)


@router.get("/tdb/export")
def export(request: Request, app: Services, user: User,
           fmt: Annotated[Literal["json", "xlsx"], Query(alias="format")] = "json") -> Response:
    require_role(user, STAFF, WHAT)
    feed = feed_request(app, actor_email=user.actor)
    file: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115  (closed once sent)
    try:
        export_feed(app, feed, file, fmt)
    except BaseException:
        file.close()
        raise
    file.seek(0)

    def chunks() -> Iterator[bytes]:
        try:
            while chunk := file.read(64 * 1024):
                yield chunk
        finally:
            file.close()

    name = f"tdb-{feed.cfa_code}-{feed.on.isoformat()}.{fmt}"
    return StreamingResponse(chunks(), media_type=MEDIA[fmt],
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})
