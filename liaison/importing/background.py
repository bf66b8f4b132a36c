"""Large admin imports, run by a Celery worker instead of the request.

When staff confirm an import whose file has more than `IMPORT_BACKGROUND_ROWS` data rows
(`settings.LIAISON`, default 500), the admin (`liaison.admin_mixins.ScopedImportExportMixin`)
does not import it in the request: `import_job_enqueue` stores the file under
MEDIA_ROOT/imports/ with a random name, records an `ImportJob` (queued) and, once that
commits, asks a worker to run it (`liaison.tasks.run_import`); the confirmation redirects to
the job's page, which follows it. The preview stays in the request (it is bounded by
`liaison.importing.limits`), and so does the confirmation of a smaller file.

`import_job_run` does in the worker what the admin's confirmation does in the request: it
re-opens the stored file with the admin's bounded format (the limits are checked again),
builds the model admin's resource with the same kwargs for the job's owner
(`get_import_resource_kwargs`: the user, hence the region scope; `get_import_data_kwargs`)
and runs `import_data(dry_run=False, use_transactions=True)`: all or nothing — a file with
any bad row writes nothing, and the job records each problem as 第 N 行「列名」：说明.
The job's result is written in the same transaction as the rows, so a task delivered again
(acks_late) finds the job done or failed and does nothing; a worker lost half-way rolled the
rows back and leaves the job running, to be run again. The stored file is deleted once the
job has ended.

An import holds the database's write lock while it runs, in the worker as in the request:
on PostgreSQL only the rows and unique keys it writes are locked and other writes go on; on
SQLite (one writer) every other write waits for it (README, "The admin and Excel").
"""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.importing.errors import error_lines
from liaison.models import ImportJob

logger = logging.getLogger(__name__)

DEFAULT_BACKGROUND_ROWS = 500
#: Problems kept on a failed job (a 10,000-row file can have many per row).
MAX_ERROR_LINES = 1000


def background_rows() -> int:
    """Confirmed imports of more data rows than this run in a worker."""
    configured = getattr(settings, "LIAISON", {})
    return max(0, int(configured.get("IMPORT_BACKGROUND_ROWS", DEFAULT_BACKGROUND_ROWS)))


# --- the request's side ----------------------------------------------------------------------
def import_job_enqueue(
    *, user, model, data: bytes, file_format: str, original_name: str = "", rows: int = 0, resource_index: int = 0
) -> ImportJob:
    """Store the file and a queued job; the worker is asked once the job is committed.
    `data` is the file as uploaded (a csv's text as UTF-8)."""
    job = ImportJob(
        user=user,
        model=model._meta.label,
        resource_index=resource_index,
        format=file_format,
        original_name=original_name[:255],
        rows=rows,
    )
    job.file.save(f"import.{file_format}", ContentFile(data), save=False)  # a random name
    try:
        with transaction.atomic():
            job.save()
            transaction.on_commit(partial(_send, job.pk), robust=True)
    except BaseException:
        job.file.storage.delete(job.file.name)
        raise
    return job


def _send(job_id: int) -> None:
    from liaison.tasks import run_import

    try:
        run_import.delay(job_id)
    except Exception:
        # The broker is down: say so on the job's page rather than leave it queued for ever.
        logger.exception("import job %s could not be queued", job_id)
        stored = _fail(job_id, [_("后台任务队列暂时不可用，未导入任何数据，请稍后重新导入。")])
        if stored:
            ImportJob.file.field.storage.delete(stored)


# --- the worker's side -----------------------------------------------------------------------
def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a queued (or interrupted) job once; a job that has ended is left alone (None)."""
    claimed = ImportJob.objects.filter(
        pk=job_id, status__in=(ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
    ).update(status=ImportJob.Status.RUNNING, started_at=timezone.now())
    if not claimed:
        return None
    try:
        with transaction.atomic():
            # Locked: two deliveries of one job run it one after the other, the second
            # finding it ended (on SQLite the IMMEDIATE transaction does the same).
            job = ImportJob.objects.select_for_update().get(pk=job_id)
            if job.status != ImportJob.Status.RUNNING:
                return None
            result = _import(job)
            problems = error_lines(result) if result.has_errors() or result.has_validation_errors() else []
            if problems:
                job.status = ImportJob.Status.FAILED  # import_data rolled its rows back
                job.errors = _capped(problems)
            else:
                job.status = ImportJob.Status.DONE
                totals = result.totals
                job.new, job.updated, job.skipped = totals["new"], totals["update"], totals["skip"]
            stored, job.file = job.file.name, ""
            job.finished_at = timezone.now()
            job.save()
    except ValidationError as refused:  # ImportRefused (the limits), or the file as a whole
        stored = _fail(job_id, refused.messages)
    except Exception as exc:
        logger.exception("import job %s failed", job_id)
        stored = _fail(job_id, [_("导入出错（%(error)s），未导入任何数据，请稍后重新导入。") % {"error": type(exc).__name__}])
    if stored:
        ImportJob.file.field.storage.delete(stored)
    return ImportJob.objects.get(pk=job_id)


def _import(job: ImportJob):
    """The admin's confirmation, for the job's owner: the same resource, kwargs and format."""
    from django.apps import apps
    from django.contrib import admin
    from import_export.signals import post_import

    model = apps.get_model(job.model)
    model_admin = admin.site._registry.get(model)
    request = HttpRequest()
    request.user = job.user
    if job.user is None or model_admin is None or not model_admin.has_import_permission(request):
        raise ValidationError(_("导入人已没有导入这类数据的权限，未导入任何数据。"))
    formats = [f(encoding=model_admin.from_encoding) for f in model_admin.get_import_formats()]
    input_format = next((f for f in formats if f.get_extension() == job.format), None)
    if input_format is None:
        raise ValidationError(_("不支持的文件格式：%(format)s。") % {"format": job.format})
    with job.file.open("rb") as stored:
        data = stored.read()
    if not input_format.is_binary():
        data = data.decode("utf-8")
    dataset = input_format.create_dataset(data)

    resource_class = model_admin.get_import_resource_classes(request)[job.resource_index]
    resource = resource_class(**model_admin.get_import_resource_kwargs(request))
    import_kwargs = model_admin.get_import_data_kwargs(request=request)
    import_kwargs["retain_instance_in_row_result"] = True
    result = resource.import_data(
        dataset, dry_run=False, use_transactions=True, file_name=job.original_name, user=job.user, **import_kwargs
    )
    if not (result.has_errors() or result.has_validation_errors()):
        model_admin.generate_log_entries(result, request)
        post_import.send(sender=None, model=model)
    return result


def _capped(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_ERROR_LINES:
        return lines
    more = len(lines) - MAX_ERROR_LINES
    return [*lines[:MAX_ERROR_LINES], _("……另有 %(count)d 个问题未列出。") % {"count": more}]


def _fail(job_id: int, problems: list[str]) -> str:
    """Mark the job failed (nothing was imported); the stored file's name, to delete."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return ""
    stored = job.file.name
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.FAILED, errors=_capped([str(p) for p in problems]), file="", finished_at=timezone.now()
    )
    return stored
