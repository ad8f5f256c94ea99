"""Use cases. Every entrypoint (CLI, HTTP, Celery task) calls these and nothing else holds business logic."""
