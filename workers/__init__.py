"""Celery workers: the reminder sweep and sends (thin tasks that call `contract_flow.services`)."""
