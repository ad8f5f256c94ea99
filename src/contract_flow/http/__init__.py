"""What the JSON API and the pages share at the HTTP edge, and nothing of either.

`deps` (the services, the bearer principal, If-Match), `errors` (domain errors to a status and a code, in one
table; a hook renders them), `limits` (the body-size and NUL checks), `timing` (Server-Timing). Neither
`contract_flow.api` nor `contract_flow.web` is imported here; `contract_flow.asgi` wires both to these.
"""
