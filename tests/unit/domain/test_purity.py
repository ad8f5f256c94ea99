"""The domain is pure (STYLE.md, rule 1): no framework, database, queue or file access under domain/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import contract_flow.domain

DOMAIN = Path(contract_flow.domain.__file__).parent
MODULES = sorted(DOMAIN.rglob("*.py"))
FRAMEWORKS = frozenset({
    "sqlmodel", "sqlalchemy", "fastapi", "starlette", "celery", "kombu", "redis", "typer", "rich", "alembic",
    "psycopg", "psycopg2", "jinja2",
})
#: Reading files is `contract_flow.rulefiles`' job; the domain gets parsed data.
FILE_ACCESS = frozenset({"tomllib", "pathlib"})


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, dotted name) of every import, at any depth (functions, TYPE_CHECKING blocks, try/except)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "__import__"
              and node.args and isinstance(node.args[0], ast.Constant)):
            found.append((node.lineno, str(node.args[0].value)))
    return found


def forbidden_imports(source: str, forbidden: frozenset[str]) -> list[str]:
    return [f"line {line}: import {name}" for line, name in sorted(imported_modules(ast.parse(source)))
            if name.partition(".")[0] in forbidden]


def open_calls(source: str) -> list[str]:
    """`open(...)`, `io.open(...)`, `path.open(...)`, `read_text()` and friends."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name in {"open", "read_text", "read_bytes", "write_text", "write_bytes"}:
            found.append((node.lineno, name))
    return [f"line {line}: {name}(...)" for line, name in sorted(found)]


def _name(path: Path) -> str:
    return str(path.relative_to(DOMAIN.parent.parent))


def test_the_domain_has_modules_to_check() -> None:
    assert DOMAIN.name == "domain"
    assert {"states.py", "machine.py", "guards.py", "facts.py"} <= {p.name for p in MODULES}
    assert any(p.parent.name == "rules" for p in MODULES)


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_domain_module_imports_a_framework_database_or_queue(path: Path) -> None:
    found = forbidden_imports(path.read_text(encoding="utf-8"), FRAMEWORKS)
    assert not found, f"{_name(path)} must stay pure (STYLE.md rule 1) but has: " + "; ".join(found)


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_domain_module_reads_files(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    found = forbidden_imports(source, FILE_ACCESS) + open_calls(source)
    assert not found, (f"{_name(path)} must not read files (contract_flow.rulefiles does) but has: "
                       + "; ".join(found))


@pytest.mark.parametrize(("source", "expected"), [
    ("import sqlalchemy as sa", ["line 1: import sqlalchemy"]),
    ("from sqlmodel import Field", ["line 1: import sqlmodel"]),
    ("from celery.result import AsyncResult", ["line 1: import celery.result"]),
    ("def f():\n    import redis\n", ["line 2: import redis"]),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from fastapi import Request\n",
     ["line 3: import fastapi"]),
    ("__import__('rich')", ["line 1: import rich"]),
    ("from contract_flow.domain import states\nfrom . import case\nimport transitions", []),
    ("import sqlalchemyish", []),
])
def test_the_import_check_sees_imports_wherever_they_are(source: str, expected: list[str]) -> None:
    assert forbidden_imports(source, FRAMEWORKS) == expected


def test_the_file_check_sees_open_and_path_reads() -> None:
    source = "import pathlib\nwith open('x') as f:\n    pass\npathlib.Path('y').read_text()\n"
    assert forbidden_imports(source, FILE_ACCESS) == ["line 1: import pathlib"]
    assert open_calls(source) == ["line 2: open(...)", "line 4: read_text(...)"]
