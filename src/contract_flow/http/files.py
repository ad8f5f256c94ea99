"""A file written whole to a temporary file, then streamed to the client: the API's and the pages' downloads.

Written whole first so that a use case that fails halfway answers an error, not a truncated file."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from fastapi.responses import StreamingResponse

#: Bytes read from the temporary file per chunk sent.
CHUNK = 64 * 1024


def stream_file(file: IO[bytes], *, media_type: str, filename: str,
                headers: dict[str, str] | None = None) -> StreamingResponse:
    """Send `file` from its start as an attachment named `filename`, closing it once sent (or the client gone)."""
    file.seek(0)

    def chunks() -> Iterator[bytes]:
        try:
            while chunk := file.read(CHUNK):
                yield chunk
        finally:
            file.close()

    return StreamingResponse(chunks(), media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', **(headers or {})})
