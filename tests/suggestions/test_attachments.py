"""Reply documents (答复函) from the handling units, and attachment downloads that only those
who may see the suggestion get: services, web pages, API and admin."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from suggestions import selectors, workflow
from suggestions.models import Action, AssignmentStatus, Attachment, Event, Status
from suggestions.services.attachments import attachment_add
from suggestions.services.handling import assignment_reply, assignment_return

API = "/api/v1"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 32
LETTER = "关于路灯问题的答复函.pdf"


def pdf(name: str = LETTER, content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def handling(world):
    """A suggestion whose lead unit has signed; returns (suggestion, lead assignment)."""
    suggestion = world.drive(world.submit(), Status.HANDLING)
    return suggestion, suggestion.assignments.get(role="lead", status=AssignmentStatus.SIGNED)


@pytest.fixture
def replied(world):
    """The lead unit answered with its letter attached: (suggestion, lead assignment, attachment)."""
    suggestion, lead = handling(world)
    lead = assignment_reply(assignment=lead, by=world.officer, result="A", content="已修复。", attachments=[pdf()])
    return suggestion, lead, Attachment.objects.get(assignment=lead)


# --- services -------------------------------------------------------------------------------------
def test_officer_reply_with_a_pdf_is_stored_on_the_suggestion_and_the_assignment(world, replied):
    suggestion, lead, attachment = replied
    assert lead.status == AssignmentStatus.REPLIED
    assert attachment.suggestion_id == suggestion.pk and attachment.assignment_id == lead.pk
    assert (attachment.original_name, attachment.content_type, attachment.size) == (LETTER, "application/pdf", len(PDF))
    assert attachment.uploaded_by_id == world.officer.pk
    assert attachment.file.read() == PDF
    reply = Event.objects.get(suggestion=suggestion, action=Action.REPLY)
    assert reply.data["attachments"] == [attachment.pk]
    for user in (world.deputy_user, world.staff, world.city_staff, world.officer, world.co_officer):
        assert list(selectors.attachments_visible_to(user)) == [attachment], user.username
    for user in (world.other_staff, world.foreign_officer, world.other_deputy_user):
        assert not selectors.attachments_visible_to(user).exists(), user.username


def test_a_reply_with_a_fake_pdf_is_refused_and_nothing_is_saved(world, settings):
    suggestion, lead = handling(world)
    with pytest.raises(ValidationError) as refused:
        assignment_reply(
            assignment=lead, by=world.officer, result="A", content="已修复。",
            attachments=[pdf(), pdf("答复函（签章）.pdf", EXE)],
        )
    assert "答复函（签章）.pdf" in refused.value.message_dict["attachments"][0]
    lead.refresh_from_db()
    assert lead.status == AssignmentStatus.SIGNED and lead.reply == ""
    assert not Attachment.objects.exists() and stored_files(settings) == []
    assert not Event.objects.filter(suggestion=suggestion, action=Action.REPLY).exists()


def test_a_reply_with_an_oversize_file_is_refused(world, settings):
    settings.LIAISON = {**settings.LIAISON, "ATTACHMENT_MAX_BYTES": 100}
    _suggestion, lead = handling(world)
    with pytest.raises(ValidationError) as refused:
        assignment_reply(
            assignment=lead, by=world.officer, result="A", content="已修复。", attachments=[pdf(content=PDF + b"0" * 100)]
        )
    assert "attachments" in refused.value.message_dict
    lead.refresh_from_db()
    assert lead.status == AssignmentStatus.SIGNED and not Attachment.objects.exists() and stored_files(settings) == []


def test_a_refused_reply_step_writes_no_file(world, settings):
    suggestion = world.drive(world.submit(), Status.ASSIGNED)
    pending = suggestion.assignments.get(role="lead")
    with pytest.raises(workflow.InvalidTransition):  # not signed yet
        assignment_reply(assignment=pending, by=world.officer, result="A", content="已修复。", attachments=[pdf()])
    assert not Attachment.objects.exists() and stored_files(settings) == []


def test_officers_of_a_unit_that_signed_add_reply_documents_linked_to_their_assignment(world, replied):
    suggestion, lead, _letter = replied
    later = attachment_add(suggestion=suggestion, by=world.officer, file=pdf("盖章答复函.pdf"))
    assert later.assignment_id == lead.pk and later.uploaded_by_id == world.officer.pk
    # Staff's files are the suggestion's, not a unit's.
    assert attachment_add(suggestion=suggestion, by=world.staff, file=pdf("交办单.pdf")).assignment_id is None


def test_officers_may_not_attach_before_signing_or_for_another_units_suggestion(world):
    suggestion, _lead = handling(world)  # the co-unit has not signed its part
    for officer in (world.foreign_officer, world.co_officer):
        with pytest.raises(workflow.ActionNotPermitted):
            attachment_add(suggestion=suggestion, by=officer, file=pdf())
    assert not Attachment.objects.exists()


def test_officers_of_a_returned_assignment_may_not_attach(world):
    suggestion = world.drive(world.submit(), Status.ASSIGNED)
    co = suggestion.assignments.get(role="co")
    assignment_return(assignment=co, by=world.co_officer, reason="不属于本单位职责")
    with pytest.raises(workflow.ActionNotPermitted):
        attachment_add(suggestion=suggestion, by=world.co_officer, file=pdf())


# --- web ------------------------------------------------------------------------------------------
def download_url(attachment) -> str:
    return reverse("suggestions:attachment", args=[attachment.pk])


def assert_is_the_letter(response):
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(LETTER)}"
    assert "private" in response["Cache-Control"]


def test_the_deputy_staff_and_officers_download_the_reply_letter(client, world, replied):
    *_rest, attachment = replied
    for user in (world.deputy_user, world.staff, world.city_staff, world.officer, world.co_officer):
        client.force_login(user)
        assert_is_the_letter(client.get(download_url(attachment)))


def test_foreign_staff_other_units_and_the_public_get_no_attachment(client, world, replied):
    *_rest, attachment = replied
    response = client.get(download_url(attachment))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    for user in (world.other_staff, world.foreign_officer, world.other_deputy_user):
        client.force_login(user)
        assert client.get(download_url(attachment)).status_code == 404, user.username
    client.force_login(world.staff)
    assert client.get(reverse("suggestions:attachment", args=[attachment.pk + 1000])).status_code == 404


def test_a_missing_file_is_a_404_not_an_error(client, world, replied):
    *_rest, attachment = replied
    attachment.file.storage.delete(attachment.file.name)
    client.force_login(world.staff)
    assert client.get(download_url(attachment)).status_code == 404


def test_pages_link_the_protected_download_never_the_media_url(client, world, replied, settings):
    suggestion, lead, attachment = replied
    client.force_login(world.staff)
    page = client.get(reverse("suggestions:detail", args=[suggestion.pk])).content.decode()
    assert download_url(attachment) in page and "潞州区住建局答复材料" in page
    assert attachment.file.name not in page and f"/{settings.MEDIA_URL}" not in page
    client.force_login(world.officer)
    page = client.get(reverse("suggestions:assignment", args=[lead.pk])).content.decode()
    assert download_url(attachment) in page and attachment.file.name not in page
    # The public tracking page shows no attachments, and MEDIA_URL serves nothing.
    client.logout()
    page = client.get(reverse("suggestions:track_detail", args=[suggestion.code])).content.decode()
    assert LETTER not in page and download_url(attachment) not in page
    assert client.get(f"/{settings.MEDIA_URL}{attachment.file.name}").status_code == 404


def test_the_officers_reply_form_takes_the_letter(client, world, settings):
    _suggestion, lead = handling(world)
    client.force_login(world.officer)
    page = client.get(reverse("suggestions:assignment", args=[lead.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="reply-attachments"' in page
    url = reverse("suggestions:assignment_act", args=[lead.pk, "reply"])

    response = client.post(url, {"reply-result": "A", "reply-content": "已修复。", "reply-attachments": [pdf("假.pdf", EXE)]})
    assert response.status_code == 400 and "假.pdf" in response.content.decode()
    assert not Attachment.objects.exists() and stored_files(settings) == []

    response = client.post(url, {"reply-result": "A", "reply-content": "已修复。", "reply-attachments": [pdf()]})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.assignment_id == lead.pk and attachment.original_name == LETTER


def test_after_the_reply_the_unit_adds_the_stamped_letter(client, world, replied, settings):
    suggestion, lead, _letter = replied
    client.force_login(world.officer)
    page = client.get(reverse("suggestions:assignment", args=[lead.pk])).content.decode()
    url = reverse("suggestions:assignment_attach", args=[lead.pk])
    assert url in page
    response = client.post(url, {"attach-file": pdf("盖章.pdf", EXE)})
    assert response.status_code == 400 and "只能上传" in response.content.decode()
    assert client.post(url, {"attach-file": pdf("盖章.pdf")}).status_code == 302
    assert list(suggestion.attachments.filter(assignment=lead).values_list("original_name", flat=True)) == [LETTER, "盖章.pdf"]
    client.force_login(world.foreign_officer)
    assert client.post(url, {"attach-file": pdf("盖章.pdf")}).status_code == 404
    assert suggestion.attachments.count() == 2


def test_the_reply_documents_read_in_english(client, world, replied):
    suggestion, lead, _letter = replied
    client.force_login(world.officer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("suggestions:assignment", args=[lead.pk])).content.decode()
    assert "reply document of 潞州区住建局" in page and "Add a reply document" in page and "Upload" in page


def test_the_admin_lists_attachments_through_the_protected_view(client, world, replied):
    suggestion, _lead, attachment = replied
    client.force_login(world.staff)
    page = client.get(reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])).content.decode()
    assert download_url(attachment) in page and LETTER in page and attachment.file.name not in page


# --- API ------------------------------------------------------------------------------------------
def api_file(name: str = LETTER, content: bytes = PDF) -> io.BytesIO:
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def test_api_reply_takes_files_as_multipart(world, api_for, settings):
    suggestion, lead = handling(world)
    officer = api_for(world.officer)
    url = f"{API}/assignments/{lead.pk}/reply/"
    response = officer.post(
        url, {"result": "A", "content": "已修复。", "attachments": [api_file(), api_file("照片说明.pdf")]}, format="multipart"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "replied"
    assert sorted(Attachment.objects.filter(assignment=lead).values_list("original_name", flat=True)) == sorted(
        [LETTER, "照片说明.pdf"]
    )
    detail = api_for(world.deputy_user).get(f"{API}/suggestions/{suggestion.pk}/").json()
    listed = {a["original_name"]: a for a in detail["attachments"]}
    letter = listed[LETTER]
    assert letter["assignment"] == lead.pk
    assert letter["url"] == f"{API}/suggestions/{suggestion.pk}/attachments/{letter['id']}/"
    assert_is_the_letter(api_for(world.deputy_user).get(letter["url"]))


def test_api_reply_refuses_a_fake_file_and_saves_nothing(world, api_for, settings):
    _suggestion, lead = handling(world)
    response = api_for(world.officer).post(
        f"{API}/assignments/{lead.pk}/reply/",
        {"result": "A", "content": "已修复。", "attachments": [api_file("答复函.pdf", EXE)]},
        format="multipart",
    )
    assert response.status_code == 400 and "attachments" in response.json()["errors"]
    lead.refresh_from_db()
    assert lead.status == AssignmentStatus.SIGNED and not Attachment.objects.exists() and stored_files(settings) == []


def test_api_json_reply_still_works(world, api_for):
    _suggestion, lead = handling(world)
    response = api_for(world.officer).post(
        f"{API}/assignments/{lead.pk}/reply/", {"result": "B", "content": "列入明年计划。"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["result"] == "B" and not Attachment.objects.exists()


def test_api_officer_of_another_unit_cannot_attach_or_download(world, api_for, replied):
    suggestion, _lead, attachment = replied
    foreign = api_for(world.foreign_officer)
    response = foreign.post(f"{API}/suggestions/{suggestion.pk}/attachments/", {"file": api_file()}, format="multipart")
    assert response.status_code == 404
    assert suggestion.attachments.count() == 1
    url = f"{API}/suggestions/{suggestion.pk}/attachments/{attachment.pk}/"
    for user in (world.foreign_officer, world.other_staff):
        assert api_for(user).get(url).status_code == 404, user.username
    assert api_for().get(url).status_code == 401
    # An attachment id under another suggestion the caller may see is not found either.
    other = world.submit()
    assert api_for(world.staff).get(f"{API}/suggestions/{other.pk}/attachments/{attachment.pk}/").status_code == 404


def test_api_signed_officer_attaches_a_reply_document(world, api_for, replied):
    suggestion, lead, _letter = replied
    response = api_for(world.officer).post(
        f"{API}/suggestions/{suggestion.pk}/attachments/", {"file": api_file("盖章答复函.pdf")}, format="multipart"
    )
    assert response.status_code == 201, response.content
    assert response.json()["assignment"] == lead.pk
    for user in (world.staff, world.officer):
        assert_download = api_for(user).get(response.json()["url"])
        assert assert_download.status_code == 200 and assert_download["X-Content-Type-Options"] == "nosniff"
