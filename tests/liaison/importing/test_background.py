"""Large admin imports run by a Celery worker, not the request (issue #12, finding 9).

A confirmed file of more than `IMPORT_BACKGROUND_ROWS` data rows (set low here) becomes an
`ImportJob`: the request stores the file and redirects to the job's page; nothing is written
until the task runs, and the task imports all or nothing, as the request would.
"""

import pytest
import tablib
from django.contrib.admin.models import LogEntry
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.celery import app
from deputies.models import Deputy
from liaison.models import ImportJob, Role
from liaison.tasks import run_import
from tests.factories import StationFactory, UserFactory

HEADERS = ["姓名", "性别", "手机号", "所属区划", "代表层级", "届次", "任期开始", "编组站点"]


@pytest.fixture
def staff(changzhi):
    return UserFactory(username="luzhou_staff", role=Role.STAFF, region=changzhi["county"])


@pytest.fixture
def station(changzhi):
    return StationFactory(name="太东街道人大代表联络站", region=changzhi["township"])


@pytest.fixture(autouse=True)
def low_threshold(settings):
    settings.LIAISON = {**settings.LIAISON, "IMPORT_BACKGROUND_ROWS": 2}


def roster(changzhi, station, count: int, *, bad_line: int | None = None) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=HEADERS)
    for i in range(count):
        region = "999999999" if bad_line == i + 2 else changzhi["township"].code
        dataset.append([f"赵{i}", "男", f"139000000{i:02d}", region, "县", "潞州区第十届人民代表大会", "2021-10-01", station.name])
    return dataset


def preview_and_confirm(client, content: bytes, name: str = "roster.xlsx", fmt: int = 0):
    preview = client.post(
        reverse("admin:deputies_deputy_import"),
        {"import_file": SimpleUploadedFile(name, content), "format": str(fmt), "resource": "0"},
    )
    assert preview.status_code == 200 and "confirm_form" in preview.context, preview.content.decode()[:2000]
    return client.post(reverse("admin:deputies_deputy_process_import"), preview.context["confirm_form"].initial)


def job_url(job):
    return reverse("admin:deputies_deputy_import_job", args=[job.pk])


def stored_files():
    return default_storage.listdir("imports")[1] if default_storage.exists("imports") else []


def test_a_large_confirmed_import_is_queued_and_the_request_writes_nothing(client, staff, changzhi, station):
    client.force_login(staff)
    done = preview_and_confirm(client, roster(changzhi, station, 3).export("xlsx"))
    job = ImportJob.objects.get()
    assert done.status_code == 302 and done["Location"] == job_url(job)
    assert (job.status, job.user, job.model, job.format, job.rows) == ("queued", staff, "deputies.Deputy", "xlsx", 3)
    assert job.original_name == "roster.xlsx"
    # The task was not run (on_commit callbacks do not fire inside the test's transaction):
    # the request itself imported nothing.
    assert Deputy.objects.count() == 0
    files = stored_files()
    assert len(files) == 1 and job.file.name == f"imports/{files[0]}" and "roster" not in files[0]

    page = client.get(job_url(job))
    text = page.content.decode()
    assert page.status_code == 200 and "排队中" in text
    assert '<meta http-equiv="refresh" content="3">' in text
    assert "<script>" not in text


def test_the_task_imports_the_file_records_the_counts_and_deletes_it(client, staff, changzhi, station):
    client.force_login(staff)
    preview_and_confirm(client, roster(changzhi, station, 3).export("xlsx"))
    job = ImportJob.objects.get()

    outcome = run_import.apply(args=[job.pk]).get()

    job.refresh_from_db()
    assert outcome["ran"] and job.status == "done"
    assert (job.new, job.updated, job.skipped, job.errors) == (3, 0, 0, [])
    assert job.started_at and job.finished_at and not job.file
    assert sorted(Deputy.objects.values_list("name", flat=True)) == ["赵0", "赵1", "赵2"]
    assert stored_files() == []
    # As the request's import would: the rows lie in the owner's region, the admin log says who.
    assert LogEntry.objects.filter(user=staff).count() == 3
    text = client.get(job_url(job)).content.decode()
    assert "导入完成：新增 3 条，更新 0 条，未变 0 条" in text and 'http-equiv="refresh"' not in text


def test_a_file_with_one_bad_row_fails_as_a_whole_with_the_lines(client, staff, changzhi, station, settings):
    client.force_login(staff)
    good = roster(changzhi, station, 3)
    preview_and_confirm(client, good.export("xlsx"))
    job = ImportJob.objects.get()
    # The file changes nothing between preview and run here, so make the run see a bad row:
    # the region of line 3 no longer exists in the importer's scope.
    bad = roster(changzhi, station, 3, bad_line=3).export("xlsx")
    with default_storage.open(job.file.name, "wb") as stored:
        stored.write(bad)

    run_import(job.pk)

    job.refresh_from_db()
    assert job.status == "failed" and Deputy.objects.count() == 0
    assert any(line.startswith("第 3 行「所属区划」") and "999999999" in line for line in job.errors), job.errors
    assert stored_files() == []
    text = client.get(job_url(job)).content.decode()
    assert "文件未导入，数据未作任何改动" in text and "第 3 行「所属区划」" in text


def test_another_staff_member_gets_a_404_and_a_superuser_may_look(client, staff, changzhi, station):
    client.force_login(staff)
    preview_and_confirm(client, roster(changzhi, station, 3).export("xlsx"))
    job = ImportJob.objects.get()

    colleague = UserFactory(username="luzhou_colleague", role=Role.STAFF, region=changzhi["county"])
    client.force_login(colleague)
    assert client.get(job_url(job)).status_code == 404
    leader = UserFactory(username="luzhou_leader", role=Role.LEADER, region=changzhi["county"], is_staff=True)
    client.force_login(leader)
    assert client.get(job_url(job)).status_code == 404

    client.force_login(staff)  # the job's owner, but through another model's admin
    assert client.get(reverse("admin:stations_station_import_job", args=[job.pk])).status_code == 404

    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get(job_url(job)).status_code == 200


def test_a_job_that_has_ended_is_not_run_again(client, staff, changzhi, station):
    client.force_login(staff)
    preview_and_confirm(client, roster(changzhi, station, 3).export("xlsx"))
    job = ImportJob.objects.get()
    run_import(job.pk)
    job.refresh_from_db()
    finished = job.finished_at
    Deputy.objects.filter(name="赵0").delete()  # a redelivery must not bring it back

    assert run_import(job.pk) == {"job": job.pk, "ran": False}

    job.refresh_from_db()
    assert (job.status, job.new, job.finished_at) == ("done", 3, finished)
    assert Deputy.objects.count() == 2


@pytest.fixture
def eager():
    """Tasks run where they are sent, as with CELERY_TASK_ALWAYS_EAGER=1."""
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def test_with_an_eager_worker_the_confirmation_runs_the_job_after_commit(
    client, staff, changzhi, station, django_capture_on_commit_callbacks, eager
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        done = preview_and_confirm(client, roster(changzhi, station, 3).export("csv").encode("utf-8"), "roster.csv", 1)
    job = ImportJob.objects.get()
    assert len(callbacks) == 1 and done["Location"] == job_url(job)
    assert (job.status, job.format, job.new) == ("done", "csv", 3)
    assert Deputy.objects.count() == 3


def test_a_broker_that_is_down_fails_the_job_instead_of_leaving_it_queued(
    client, staff, changzhi, station, django_capture_on_commit_callbacks, monkeypatch
):
    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(run_import, "delay", down)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        preview_and_confirm(client, roster(changzhi, station, 3).export("xlsx"))
    job = ImportJob.objects.get()
    assert job.status == "failed" and "后台任务队列暂时不可用" in job.errors[0]
    assert Deputy.objects.count() == 0 and stored_files() == []


def test_a_small_file_is_still_imported_in_the_request(client, staff, changzhi, station):
    client.force_login(staff)
    done = preview_and_confirm(client, roster(changzhi, station, 2).export("xlsx"))
    assert done.status_code == 302 and done["Location"] == reverse("admin:deputies_deputy_changelist")
    assert Deputy.objects.count() == 2 and not ImportJob.objects.exists()


def test_the_worker_checks_the_limits_again(client, staff, changzhi, station, settings):
    client.force_login(staff)
    preview_and_confirm(client, roster(changzhi, station, 3).export("xlsx"))
    job = ImportJob.objects.get()
    settings.LIAISON = {**settings.LIAISON, "IMPORT_MAX_ROWS": 2}

    run_import(job.pk)

    job.refresh_from_db()
    assert job.status == "failed" and "超过 2 行数据" in job.errors[0]
    assert Deputy.objects.count() == 0 and stored_files() == []
