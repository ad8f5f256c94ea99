"""The HTTP API (FastAPI): thin routes over the same use cases as the command line."""
