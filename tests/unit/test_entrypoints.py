"""Entrypoints side by side (STYLE.md rule 15, issue 11 item 4): the API and the pages never import each other,
and what they share (contract_flow.http) imports neither; contract_flow.asgi alone puts them together."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import contract_flow

PACKAGE = Path(contract_flow.__file__).parent
#: Each package, and the packages none of its modules may import.
FORBIDDEN = {
    "contract_flow.api": ("contract_flow.web",),
    "contract_flow.web": ("contract_flow.api",),
    "contract_flow.http": ("contract_flow.api", "contract_flow.web"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(source: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, dotted name) of every import at any depth, relative ones resolved, `from a import b` as `a.b`."""
    package = module if is_package else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            origin = ".".join([*base, *([node.module] if node.module else [])])
            found.extend((node.lineno, f"{origin}.{alias.name}") for alias in node.names)
    return found


def crossings(source: str, module: str, forbidden: tuple[str, ...], is_package: bool = False) -> list[str]:
    return [f"line {line}: {name}" for line, name in imported(source, module, is_package)
            if any(name == other or name.startswith(f"{other}.") for other in forbidden)]


def _cases() -> list[tuple[Path, tuple[str, ...]]]:
    return [(path, forbidden) for package, forbidden in FORBIDDEN.items()
            for path in sorted((PACKAGE / package.rpartition(".")[2]).rglob("*.py"))]


@pytest.mark.parametrize(("path", "forbidden"), _cases(), ids=lambda value: module_name(value)
                         if isinstance(value, Path) else "")
def test_no_entrypoint_module_imports_the_other_entrypoint(path: Path, forbidden: tuple[str, ...]) -> None:
    found = crossings(path.read_text(encoding="utf-8"), module_name(path), forbidden, path.name == "__init__.py")
    assert not found, f"{module_name(path)} must not import {' or '.join(forbidden)}: " + "; ".join(found)


def test_every_package_checked_has_modules() -> None:
    counted = {package: sum(1 for path, _ in _cases() if module_name(path).startswith(package))
               for package in FORBIDDEN}
    assert all(count >= 3 for count in counted.values()), counted


def test_the_assembling_module_puts_both_together() -> None:
    source = (PACKAGE / "asgi.py").read_text(encoding="utf-8")
    names = {name for _, name in imported(source, "contract_flow.asgi")}
    assert {"contract_flow.api", "contract_flow.web"} <= names


@pytest.mark.parametrize(("source", "module", "expected"), [
    ("from contract_flow import web", "contract_flow.api.app", ["line 1: contract_flow.web"]),
    ("from contract_flow.web.i18n import Translator", "contract_flow.api.app",
     ["line 1: contract_flow.web.i18n.Translator"]),
    ("def f():\n    import contract_flow.web.render\n", "contract_flow.api.app", ["line 2: contract_flow.web.render"]),
    ("from ..web import render", "contract_flow.api.app", ["line 1: contract_flow.web.render"]),
    ("from ... import web", "contract_flow.api.routes.cases", ["line 1: contract_flow.web"]),
    ("from contract_flow.webhooks import x\nfrom contract_flow.api import errors", "contract_flow.api.app", []),
    ("from contract_flow.http.deps import Services", "contract_flow.api.app", []),
])
def test_the_import_check_sees_every_way_of_importing(source: str, module: str, expected: list[str]) -> None:
    assert crossings(source, module, ("contract_flow.web",)) == expected
