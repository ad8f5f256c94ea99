"""Where the configuration files are: shipped in the package, overridden file by file by a site's directory.

The package carries the defaults (`contract_flow/configs/`: default.toml, production.toml, rules/fr.toml,
reminders.toml, programmes/<code>.toml), so an installed wheel works from any directory. A site puts its own
versions in a directory named by `CONTRACT_FLOW_CONFIG_DIR`, with the same layout: each file found there wins
over the packaged one of the same name, the others stay the packaged ones (a site may override only fr.toml).
A programme code is looked up in the site's `programmes/` first, then in the package's.

Only this module knows these places; settings, the rule files and the tests ask it.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

#: The environment variable naming a site's configuration directory.
CONFIG_DIR_VARIABLE = "CONTRACT_FLOW_CONFIG_DIR"


def _packaged_dir() -> Path:
    root = files("contract_flow") / "configs"
    # pip installs wheels as plain files; a zipped install could not hand out paths the settings keep.
    if not isinstance(root, Path):
        raise RuntimeError(f"contract_flow's configs are not plain files ({root!r}): install the package unzipped")
    return root


#: The configuration shipped with the package (package data): the defaults every site starts from.
PACKAGED_DIR = _packaged_dir()
DEFAULT_SETTINGS = PACKAGED_DIR / "default.toml"
RULES = "rules/fr.toml"
REMINDERS = "reminders.toml"
PROGRAMMES = "programmes"
SETTINGS = "default.toml"


def site_dir() -> Path | None:
    """The site's configuration directory (`CONTRACT_FLOW_CONFIG_DIR`), or None; refused if it is not one."""
    chosen = os.environ.get(CONFIG_DIR_VARIABLE)
    if not chosen:
        return None
    path = Path(chosen).expanduser().resolve()
    if not path.is_dir():
        raise FileNotFoundError(f"{CONFIG_DIR_VARIABLE}: {path} is not a directory")
    return path


def find(relative: str) -> Path:
    """The file the site provides at `relative` (e.g. "rules/fr.toml"), else the packaged one."""
    site = site_dir()
    if site is not None and (site / relative).is_file():
        return site / relative
    return PACKAGED_DIR / relative


def programme_dirs() -> tuple[Path, ...]:
    """Where programme files are looked up by code, the site's directory first."""
    site = site_dir()
    if site is not None and (site / PROGRAMMES).is_dir():
        return (site / PROGRAMMES, PACKAGED_DIR / PROGRAMMES)
    return (PACKAGED_DIR / PROGRAMMES,)


def programme_file(code: str) -> Path | None:
    """`programmes/<code>.toml`, the site's if it has one, else the package's; None when neither has it."""
    for directory in programme_dirs():
        if (directory / f"{code}.toml").is_file():
            return directory / f"{code}.toml"
    return None


def programme_codes() -> list[str]:
    """Every programme code with a file, in either place (for messages listing the known ones)."""
    return sorted({file.stem for directory in programme_dirs() for file in directory.glob("*.toml")})
