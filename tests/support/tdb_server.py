"""A stand-in for the Tableau de bord de l'apprentissage's API (TDB v3, PUBLIC-SYSTEMS.md §2), served over real HTTP
by uvicorn in a thread on a free loopback port: the push is tested against it, never against a mock client.

It answers as the TDB does: `POST /api/v3/dossiers-apprenants` (and `/test`) with `Authorization: Bearer <key>`
(403 for a key it does not know), a JSON array of at most 2,000 learners (413 beyond, 400 for a body that is not an
array of objects), each item checked field by field against the TDB's formats, written here again from
PUBLIC-SYSTEMS.md (not imported from the code under test: a mistake there must not be repeated here), and 200
`{"status": "OK", "message": "Queued", "data": [item + validation_errors, ...]}`. It can also answer 5xx for the
next requests (`fail_next`), answer slowly (`slow_seconds`), and refuse given learners for what only the TDB knows
(`refuse`: its referentials). Everything received is kept (`requests`), the keys and bodies included.

Use::

    with TdbStandIn(keys={"imt-key"}) as tdb:
        tdb.url  # http://127.0.0.1:PORT
"""

from __future__ import annotations

import asyncio
import json
import re
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

import uvicorn

MAX_ITEMS = 2000
REQUIRED = ("nom_apprenant", "prenom_apprenant", "date_de_naissance_apprenant", "annee_scolaire",
            "id_erp_apprenant", "date_inscription_formation", "date_entree_formation", "date_fin_formation",
            "etablissement_responsable_uai", "etablissement_formateur_uai", "etablissement_responsable_siret",
            "etablissement_formateur_siret")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SUFFIXES = ("", "_2", "_3", "_4")
_CAUSES = {"démission", "résiliation", "force majeure", "obtention du diplôme", "faute lourde",
           "inaptitude constatée par la médecine du travail"}
PATTERNS = {
    "etablissement_responsable_uai": r"[0-9]{7}[A-Z]", "etablissement_formateur_uai": r"[0-9]{7}[A-Z]",
    "dernier_organisme_uai": r"[0-9]{7}[A-Z]",
    "etablissement_responsable_siret": r"[0-9]{14}", "etablissement_formateur_siret": r"[0-9]{14}",
    **{f"siret_employeur{suffix}": r"[0-9]{14}" for suffix in _SUFFIXES},
    "annee_scolaire": r"[0-9]{4}-[0-9]{4}", "code_postal_apprenant": r"[0-9]{5}", "sexe_apprenant": r"[MF]",
    "nir_apprenant": r"[0-9]{13}|[0-9]{15}",
    "code_commune_insee_apprenant": r"([0-9]{2}|2A|2B)[0-9]{3}",
    "code_commune_insee_de_naissance_apprenant": r"([0-9]{2}|2A|2B)[0-9]{3}",
    "formation_rncp": r"(RNCP)?[0-9]{2,5}", "formation_cfd": r"[A-Z0-9]{8}", "type_cfa": r"0[1-9]|10",
    "email_contact": r"[^@\s]+@[^@\s]+\.[^@\s]+", "responsable_apprenant_mail1": r"[^@\s]+@[^@\s]+\.[^@\s]+",
    "responsable_apprenant_mail2": r"[^@\s]+@[^@\s]+\.[^@\s]+",
}
_COMPILED = {name: re.compile(pattern) for name, pattern in PATTERNS.items()}
DATES = {"date_de_naissance_apprenant", "date_inscription_formation", "date_entree_formation", "date_fin_formation",
         "date_rqth_apprenant", "date_obtention_diplome_formation", "date_exclusion_formation",
         *(f"{name}{suffix}" for suffix in _SUFFIXES
           for name in ("contrat_date_debut", "contrat_date_fin", "contrat_date_rupture"))}
NUMBERS = {"statut_apprenant": {0, 2, 3}, "annee_formation": set(range(6)),
           "duree_theorique_formation_mois": set(range(1, 49))}
BOOLEANS = {"rqth_apprenant", "formation_presentielle", "obtention_diplome_formation"}
KNOWN = {*REQUIRED, *PATTERNS, *DATES, *NUMBERS, *BOOLEANS, "tel_apprenant", "adresse_apprenant", "ine_apprenant",
         "libelle_court_formation", "cause_exclusion_formation", "derniere_situation",
         *(f"cause_rupture_contrat{suffix}" for suffix in _SUFFIXES)}


def item_errors(item: Any) -> list[dict[str, Any]]:
    """The TDB's validation errors of one learner: [{"message", "path": [field]}]."""
    if not isinstance(item, dict):
        return [{"message": "an object", "path": []}]
    errors = [{"message": f'"{name}" is required', "path": [name]}
              for name in REQUIRED if item.get(name) in (None, "")]
    checks = _CHECKS
    for name, value in item.items():
        check = checks.get(name)
        problem = "is not allowed" if check is None else check(value)
        if problem:
            errors.append({"message": f'"{name}" {problem}', "path": [name]})
    return errors


def _problem(name: str, value: Any) -> str | None:  # noqa: PLR0911  (one rule per kind of field)
    if name not in KNOWN:
        return "is not allowed"
    if value is None or value == "":
        return None
    if name in NUMBERS:
        return None if isinstance(value, int) and value in NUMBERS[name] else "is out of range"
    if name in BOOLEANS:
        return None if isinstance(value, bool) else "must be a boolean"
    if not isinstance(value, str):
        return "must be a string"
    if name in DATES:
        return None if _DATE.fullmatch(value) else "must be in iso format"
    if name.startswith("cause_rupture_contrat"):
        return None if value in _CAUSES else "is not a known cause"
    if name in _COMPILED and not _COMPILED[name].fullmatch(value):
        return "has a wrong format"
    if name == "annee_scolaire" and int(value[5:]) - int(value[:4]) not in (0, 1):
        return "must be two consecutive or equal years"
    if name == "nom_apprenant" and value != value.upper():
        return "must be uppercase"
    return None


def _check_of(name: str) -> Any:
    """The field's check, the common case (a well-formed text) answered by one regular expression."""
    pattern = _DATE if name in DATES else _COMPILED.get(name)
    if pattern is None or name == "annee_scolaire":
        return lambda value: _problem(name, value)
    match = pattern.fullmatch
    return lambda value: None if value.__class__ is str and match(value) else _problem(name, value)


_CHECKS = {name: _check_of(name) for name in KNOWN}


@dataclass
class Received:
    path: str
    authorization: str | None
    content_type: str | None
    body: bytes
    status: int

    @property
    def items(self) -> list[Any]:
        data = json.loads(self.body)
        return data if isinstance(data, list) else []


@dataclass
class TdbStandIn:
    keys: set[str] = field(default_factory=lambda: {"good-key"})
    #: id_erp_apprenant -> (field, message): learners the TDB refuses for what only it knows (its referentials).
    refuse: dict[str, tuple[str, str]] = field(default_factory=dict)
    slow_seconds: float = 0.0
    #: False: the bodies are not kept (a benchmark pushes a million learners), only `accepted` counts them.
    keep_bodies: bool = True
    accepted: int = 0
    requests: list[Received] = field(default_factory=list)
    _failures: list[int] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, count: int, status: int = 503) -> None:
        """The next `count` requests are answered `status` (a 5xx: the TDB down)."""
        with self._lock:
            self._failures.extend([status] * count)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def batches(self) -> list[list[Any]]:
        """The bodies answered 200, in order."""
        return [request.items for request in self.requests if request.status == 200]

    # -- the ASGI app ------------------------------------------------------------------------------------------

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]}
        status, answer = self._answer(scope["method"], scope["path"], headers, body)
        with self._lock:
            if status == 200:
                self.accepted += len(answer["data"])
            self.requests.append(Received(scope["path"], headers.get("authorization"), headers.get("content-type"),
                                          body if self.keep_bodies else b"[]", status))
        if self.slow_seconds:
            await asyncio.sleep(self.slow_seconds)
        payload = json.dumps(answer, ensure_ascii=False).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(payload)).encode())]})
        await send({"type": "http.response.body", "body": payload})

    def _answer(self, method: str, path: str, headers: dict[str, str],  # noqa: PLR0911  (the TDB's answers)
                body: bytes) -> tuple[int, Any]:
        if path not in ("/api/v3/dossiers-apprenants", "/api/v3/dossiers-apprenants/test"):
            return 404, {"error": "Not Found"}
        if method != "POST":
            return 405, {"error": "Method Not Allowed"}
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure is not None:
            return failure, {"error": "Service Unavailable"}
        authorization = headers.get("authorization", "")
        if not authorization.startswith("Bearer ") or authorization[7:] not in self.keys:
            return 403, {"error": "Forbidden", "message": "Invalid API key"}
        if not headers.get("content-type", "").startswith("application/json"):
            return 415, {"error": "Unsupported Media Type"}
        try:
            items = json.loads(body)
        except ValueError:
            return 400, {"error": "Bad Request", "message": "the body is not JSON"}
        if not isinstance(items, list):
            return 400, {"error": "Bad Request", "message": "an array of learners"}
        if len(items) > MAX_ITEMS:
            return 413, {"error": "Payload Too Large", "message": f"at most {MAX_ITEMS} learners"}
        data = []
        for item in items:
            errors = item_errors(item)
            refused = self.refuse.get(str(item.get("id_erp_apprenant"))) if isinstance(item, dict) else None
            if refused:
                errors.append({"message": refused[1], "path": [refused[0]]})
            data.append({**(item if isinstance(item, dict) else {}), "validation_errors": errors})
        return 200, {"status": "OK", "message": "Queued", "data": data}

    # -- serving -----------------------------------------------------------------------------------------------

    def start(self) -> Self:
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._server = uvicorn.Server(uvicorn.Config(self, log_level="warning", lifespan="off", ws="none",
                                                     access_log=False, timeout_graceful_shutdown=1))
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._listener]},
                                        name="tdb-stand-in", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the TDB stand-in did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._listener.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()


def main() -> None:
    """`python -m tests.support.tdb_server KEY PORT_FILE`: serve until SIGTERM, the bodies not kept (the bench's
    stand-in, in its own process so that its checks do not share the pusher's interpreter)."""
    stand_in = TdbStandIn(keys={sys.argv[1]}, keep_bodies=False).start()
    with open(sys.argv[2], "w", encoding="utf-8") as port_file:
        port_file.write(str(stand_in.port))
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    stopped.wait()
    print(f"accepted={stand_in.accepted} requests={len(stand_in.requests)}", flush=True)
    stand_in.stop()


if __name__ == "__main__":
    main()
