"""Documents people download: a generic document (sections of labelled fields) rendered as PDF, many as a ZIP.

I/O on bytes only, no knowledge of contracts: the dossier is turned into a `Document` by an adapter, and the
entrypoints (CLI, API, pages) send the bytes.
"""

from contract_flow.documents.archive import write_zip
from contract_flow.documents.model import Document, DocumentField, DocumentSection
from contract_flow.documents.pdf import render_pdf

__all__ = ["Document", "DocumentField", "DocumentSection", "render_pdf", "write_zip"]
