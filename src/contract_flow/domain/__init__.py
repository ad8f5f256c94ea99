"""The pure core: the state chart of a case, its guards and the legal rules.

Nothing here does I/O or imports a framework (a test checks it): persistence, HTTP and queues live in
`adapters/`, `api/` and `workers/` and map their rows to and from these plain objects.
"""
