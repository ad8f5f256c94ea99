import time
from tests.e2e.api.conftest import World

def test_probe(world: World, client) -> None:
    t = time.perf_counter()
    r = client.get(f"/api/v1/cases/{world.one.case_id}", headers=world.as_("advisor"))
    print(r.status_code, r.json()["state"], r.headers.get("etag"))
    r = client.get("/api/v1/inbox", headers=world.as_("apprentice"))
    print(r.status_code, r.json())
    print(time.perf_counter() - t)
