"""`contract-flow tdb export|push|pushes`: the CFA's learners for the Tableau de bord de l'apprentissage (TDB v3,
PUBLIC-SYSTEMS.md §2; issue 16, items 1 and 2). Other modules add their commands to `tdb_app` (cli/tdb_reconcile.py:
`tdb reconcile`).
"""

from __future__ import annotations

import typer

tdb_app = typer.Typer(help="The Tableau de bord de l'apprentissage (TDB): the monthly feed of the CFA's learners.",
                      no_args_is_help=True)
