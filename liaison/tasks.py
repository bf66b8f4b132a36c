"""Celery tasks of the ground floor: thin, idempotent, acknowledged late."""

from __future__ import annotations

from celery import shared_task

from liaison.importing.background import import_job_run


@shared_task(name="liaison.tasks.run_import", acks_late=True)
def run_import(job_id: int) -> dict:
    """A large admin import (`liaison.importing.background`). A job that has ended is not run
    again, so a redelivered task does nothing."""
    job = import_job_run(job_id=job_id)
    if job is None:
        return {"job": job_id, "ran": False}
    return {"job": job_id, "ran": True, "status": job.status, "new": job.new, "update": job.updated, "skip": job.skipped}
