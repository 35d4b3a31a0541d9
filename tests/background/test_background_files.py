"""Files made in the background (earlyhelp/background): asked for, made by the real database worker, shown
with their progress, downloaded only by who asked (while they still may), gone once expired."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from earlyhelp.accounts.models import Role, User
from earlyhelp.audit.models import AccessKind, AccessRecord
from earlyhelp.background.models import BackgroundFile, FileStatus
from earlyhelp.people.models import Family, FamilyMember, MemberRole, Person
from earlyhelp.reporting.services import annex_a_request

from .worker import run_worker, worker_runs


@pytest.fixture
def child(seeded):
    family = Family.objects.create(name="Background family")
    person = Person.objects.create(first_name="Rosa", last_name="Background", nhs_number="9990000018")
    FamilyMember.objects.create(family=family, person=person, role=MemberRole.CHILD)
    return person


def _pack_exports(person):
    return AccessRecord.objects.filter(person=person, kind=AccessKind.EXPORT, what="Subject access request pack")


def _ask_for_pack(client, admin, person) -> str:
    client.force_login(admin)
    page = client.get(reverse("audit-person", args=[person.pk])).content.decode()
    assert "Make a subject access pack" in page
    response = client.post(reverse("audit-subject-access", args=[person.pk]))
    assert response.status_code == 302
    return response["Location"]


@worker_runs
def test_a_subject_access_pack_is_made_by_the_worker_with_progress_and_its_download_recorded(client, child,
                                                                                             demo_user):
    admin = demo_user("admin")
    page = _ask_for_pack(client, admin, child)
    waiting = client.get(page).content.decode()
    assert "Waiting to start" in waiting and "Waiting for a worker to start (0%)" in waiting
    assert 'id="background-file-refresh"' in waiting  # without JavaScript, a link to look again
    assert "background/progress.js" in waiting
    assert "Rosa" not in waiting  # the progress page names no one
    run_worker()
    background_file = BackgroundFile.objects.get(requested_by=admin)
    assert background_file.status == FileStatus.READY and background_file.progress_percent == 100
    assert DBTaskResult.objects.get(pk=background_file.task_result_id).status == "SUCCESSFUL"
    ready = client.get(page).content.decode()
    assert "Your file is ready" in ready and "background/progress.js" not in ready
    assert not _pack_exports(child).exists()  # made, not yet downloaded
    response = client.get(reverse("background-file-download", args=[background_file.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = sorted(archive.namelist())
    assert [name.rsplit(".", 1)[1] for name in names] == ["html", "json"]
    assert "Information we hold about Rosa Background" in archive.read(names[0]).decode()
    assert _pack_exports(child).filter(user=admin).count() == 1


def test_only_an_administrator_may_ask_for_a_pack_and_nothing_is_written_otherwise(client, child, demo_user):
    client.force_login(demo_user("manager"))
    assert client.post(reverse("audit-subject-access", args=[child.pk])).status_code == 403
    assert client.get(reverse("audit-subject-access", args=[child.pk])).status_code in (403, 405)
    assert not BackgroundFile.objects.exists() and not DBTaskResult.objects.exists()


@worker_runs
def test_someone_else_cannot_see_or_download_the_file_even_with_the_same_role(client, child, demo_user):
    page = _ask_for_pack(client, demo_user("admin"), child)
    run_worker()
    other_admin = User.objects.create_user(username="admin2", password="x", role=Role.ADMINISTRATOR)
    client.force_login(other_admin)
    assert client.get(page).status_code == 403
    assert client.get(f"{page}download").status_code == 403
    assert not _pack_exports(child).exists()


@worker_runs
def test_who_asked_cannot_download_once_they_lose_the_permission(client, child, demo_user):
    admin = demo_user("admin")
    page = _ask_for_pack(client, admin, child)
    run_worker()
    User.objects.filter(pk=admin.pk).update(role=Role.PERFORMANCE_ANALYST)
    assert client.get(f"{page}download").status_code == 403
    assert not _pack_exports(child).exists()


@worker_runs
def test_an_expired_file_is_gone_with_its_stored_file(client, child, demo_user):
    page = _ask_for_pack(client, demo_user("admin"), child)
    run_worker()
    background_file = BackgroundFile.objects.get()
    storage, name = background_file.file.storage, background_file.file.name
    assert storage.exists(name)
    assert background_file.expires_at > background_file.finished_at
    BackgroundFile.objects.filter(pk=background_file.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"{page}download").status_code == 404
    assert not BackgroundFile.objects.exists() and not storage.exists(name)
    assert client.get(page).status_code == 404


@worker_runs
def test_a_file_that_cannot_be_made_shows_a_plain_message_never_a_traceback(client, seeded, demo_user):
    analyst = demo_user("analyst")
    background_file = annex_a_request(user=analyst, as_of=date(2026, 6, 30), file_format="csv")
    # What the worker is given no longer makes sense (as after a change of code between asking and making).
    BackgroundFile.objects.filter(pk=background_file.pk).update(params={"as_of": "the thirtieth", "format": "csv"})
    run_worker()
    background_file.refresh_from_db()
    assert background_file.status == FileStatus.FAILED
    assert DBTaskResult.objects.get(pk=background_file.task_result_id).status == "FAILED"
    client.force_login(analyst)
    response = client.get(reverse("background-file", args=[background_file.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and "The file could not be made" in html
    assert "Traceback" not in html and "the thirtieth" not in html and "ValueError" not in html
    assert client.get(reverse("background-file-download", args=[background_file.pk])).status_code == 404
