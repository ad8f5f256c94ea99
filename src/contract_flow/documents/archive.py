"""Many documents as one ZIP of PDFs, streamed: an intake's thousand dossiers in the memory of one.

Each PDF is rendered, written to the archive and dropped before the next one; `out` may be a file, a socket or an
HTTP response body (zipfile writes data descriptors when it cannot seek back). The entries are stored, not
deflated: a PDF's streams are already compressed, deflating again would cost time for a few percent. Their dates
are fixed, so the same documents give the same archive.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import BinaryIO

from contract_flow.documents.model import Document
from contract_flow.documents.pdf import render_pdf

_FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a ZIP can say: no entry carries the time it was made


def write_zip(documents: Iterable[tuple[str, Document]], out: BinaryIO) -> None:
    """Write each (file name, document) as a PDF entry of a ZIP archive to `out`, one PDF in memory at a time.

    A name must be relative, without "..", unique in the archive (ValueError otherwise: an archive unpacked over
    a folder must not write outside it, nor one dossier over another)."""
    seen: set[str] = set()
    with zipfile.ZipFile(out, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for name, document in documents:
            _check(name, seen)
            seen.add(name)
            entry = zipfile.ZipInfo(name, date_time=_FIXED_DATE)
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, render_pdf(document))


def _check(name: str, seen: set[str]) -> None:
    path = PurePosixPath(name)
    if not name or "\\" in name or path.is_absolute() or ".." in path.parts or name.endswith("/"):
        raise ValueError(f"{name!r}: an archive entry is a relative path without '..'")
    if name in seen:
        raise ValueError(f"{name!r}: the archive already has an entry of that name")
