"""Fixtures the security tests share with the end-to-end ones (imported, so pytest finds them here too): the world
of two CFAs with a user per role (`world`), the same world shared per module and database (`stage`), and
browsers on the pages (`site`)."""

from __future__ import annotations

from tests.e2e.api.conftest import stage  # noqa: F401  (the world shared per module and database)
from tests.e2e.conftest import world  # noqa: F401
from tests.e2e.web.conftest import site  # noqa: F401
