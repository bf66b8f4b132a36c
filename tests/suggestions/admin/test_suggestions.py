"""The suggestion admin: scoped lists, filters, constant queries, workflow buttons that call the
services, the read-only timeline, the record-book import."""

import datetime

import tablib
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from import_export.formats.base_formats import XLSX

from suggestions.models import Event, Status, Suggestion, sync_lead_deadline
from tests.suggestions.lists import many_suggestions


def login(client, user):
    client.force_login(user)
    return client


def step_url(suggestion, action):
    return reverse("admin:suggestions_suggestion_workflow", args=[suggestion.pk, action])


def change_url(suggestion):
    return reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])


def notes(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the list ------------------------------------------------------------------------------------
def test_staff_list_their_regions_suggestions_only(client, world):
    mine = world.submit(title="本区的路灯")
    world.submit(region=world.other_township, by=world.other_staff, title="外区的路灯")
    page = login(client, world.staff).get(reverse("admin:suggestions_suggestion_changelist")).content.decode()
    assert "本区的路灯" in page and mine.code in page and "外区的路灯" not in page
    foreign = Suggestion.objects.get(title="外区的路灯")
    response = client.get(change_url(foreign))
    assert response.status_code == 302  # the admin answers a foreign object like a missing one


def test_list_filters_and_search(client, world):
    assigned = world.drive(world.submit(title="已交办的事"), Status.ASSIGNED)
    late = world.drive(world.submit(title="超期的事"), Status.ASSIGNED, co_unit=False)
    late.assignments.update(deadline=timezone.localdate() - datetime.timedelta(days=2))
    sync_lead_deadline(late)
    world.submit(title="刚提交的事")
    login(client, world.staff)
    url = reverse("admin:suggestions_suggestion_changelist")

    def titles(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return {s.title for s in response.context["cl"].result_list}

    assert titles(status__exact="submitted") == {"刚提交的事"}
    assert titles(route__exact="district") == {"已交办的事", "超期的事"}
    assert titles(unit=str(world.co_unit.pk)) == {"已交办的事"}
    assert titles(tier="overdue") == {"超期的事"}
    assert titles(tier="on_track") == {"已交办的事"}
    assert titles(supervision__exact="none") == {"已交办的事", "超期的事", "刚提交的事"}
    assert titles(q=assigned.code) == {"已交办的事"}
    assert titles(q="王小明") == {"已交办的事", "超期的事", "刚提交的事"}
    page = client.get(url).content.decode()
    assert "已超期" in page and "潞州区住建局" in page


def test_changelist_runs_a_constant_number_of_queries(client, world, django_assert_max_num_queries):
    login(client, world.staff)
    url = reverse("admin:suggestions_suggestion_changelist")

    def count():
        with django_assert_max_num_queries(20) as captured:
            assert client.get(url, {"all": ""}).status_code == 200
        return len(captured.captured_queries)

    for i in range(2):
        world.drive(world.submit(title=f"意见{i}"), Status.HANDLING if i % 2 else Status.SUBMITTED)
    many_suggestions(world, 3)
    few = count()
    many_suggestions(world, 45)
    assert count() == few


# --- the change page and its buttons ----------------------------------------------------------
def test_change_page_offers_the_allowed_steps_and_shows_the_timeline(client, world):
    suggestion = world.submit()
    page = login(client, world.staff).get(change_url(suggestion)).content.decode()
    for action in ("accept", "decline", "resolve_on_spot", "merge"):
        assert step_url(suggestion, action) in page
    assert step_url(suggestion, "publish") not in page
    assert 'name="_save"' not in page  # no direct edits: the workflow is the only write path
    assert "办理记录（时间线）" in page and "提交" in page


def test_accept_and_assign_buttons_call_the_services(client, world):
    suggestion = world.submit()
    login(client, world.staff)
    assert client.get(step_url(suggestion, "accept")).status_code == 200
    response = client.post(step_url(suggestion, "accept"), {"note": "符合受理条件"})
    assert response.status_code == 302 and response["Location"] == change_url(suggestion)
    suggestion.refresh_from_db()
    assert suggestion.status == Status.ACCEPTED
    assert suggestion.events.filter(action="accept", actor=world.staff, note="符合受理条件").exists()

    form = client.get(step_url(suggestion, "assign")).context["form"]
    assert set(form.fields["lead_unit"].queryset) == {world.unit, world.co_unit}  # the foreign unit is not offered
    response = client.post(step_url(suggestion, "assign"), {
        "route": "district", "lead_unit": world.unit.pk, "co_units": [world.co_unit.pk], "requirements": "按时答复",
    })
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == Status.ASSIGNED and suggestion.assignments.count() == 2


def test_an_illegal_step_shows_the_reason_and_changes_nothing(client, world):
    suggestion = world.submit()
    login(client, world.staff)
    events = Event.objects.count()
    response = client.post(step_url(suggestion, "publish"))
    assert response.status_code == 302
    assert any("未能公示" in m for m in notes(response))
    suggestion.refresh_from_db()
    assert suggestion.status == Status.SUBMITTED and not suggestion.is_public
    assert Event.objects.count() == events


def test_bad_input_redisplays_the_form(client, world):
    suggestion = world.submit()
    login(client, world.staff)
    response = client.post(step_url(suggestion, "decline"), {"reason": ""})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    accepted = world.drive(world.submit(), Status.ACCEPTED)
    response = client.post(step_url(accepted, "assign"), {
        "route": "district", "lead_unit": world.unit.pk, "co_units": [world.unit.pk],
    })
    assert response.status_code == 200
    assert response.context["form"].errors  # the service's "lead unit cannot also be a co-unit"
    assert Suggestion.objects.get(pk=accepted.pk).status == Status.ACCEPTED


def test_evaluate_feedback_and_publish_through_the_admin(client, world):
    suggestion = world.drive(world.submit(), Status.REPLIED)
    login(client, world.staff)
    response = client.post(step_url(suggestion, "evaluate"), {"rating": "satisfied", "deputy": world.deputy.pk})
    assert response.status_code == 302, getattr(response, "context", None) and response.context["form"].errors
    assert client.post(step_url(suggestion, "feedback"), {"channel": "phone", "note": "已电话告知"}).status_code == 302
    assert client.post(step_url(suggestion, "publish")).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == Status.CLOSED and suggestion.is_public and suggestion.fed_back_at
    assert suggestion.evaluations.get().deputy == world.deputy


def test_leaders_read_but_take_no_step_here(client, world):
    suggestion = world.submit()
    page = login(client, world.leader).get(change_url(suggestion)).content.decode()
    assert suggestion.title in page and step_url(suggestion, "accept") not in page
    assert client.post(step_url(suggestion, "accept")).status_code == 403
    assert Suggestion.objects.get(pk=suggestion.pk).status == Status.SUBMITTED


def test_unknown_steps_and_foreign_suggestions(client, world):
    suggestion = world.submit()
    foreign = world.submit(region=world.other_township, by=world.other_staff)
    login(client, world.staff)
    assert client.get(step_url(suggestion, "sign")).status_code == 404
    response = client.post(step_url(foreign, "accept"))
    assert response.status_code == 302 and Suggestion.objects.get(pk=foreign.pk).status == Status.SUBMITTED


def test_bulk_accept_reports_what_it_could_not_do(client, world):
    fresh = world.submit()
    declined = world.drive(world.submit(), Status.DECLINED)
    login(client, world.staff)
    response = client.post(reverse("admin:suggestions_suggestion_changelist"), {
        "action": "accept_selected", "_selected_action": [fresh.pk, declined.pk],
    })
    assert response.status_code == 302
    assert Suggestion.objects.get(pk=fresh.pk).status == Status.ACCEPTED
    assert Suggestion.objects.get(pk=declined.pk).status == Status.DECLINED
    assert any(declined.code in m for m in notes(response))


# --- Excel: export the list, import a record book --------------------------------------------------
def test_export_and_import_pages(client, world):
    world.drive(world.submit(), Status.CLOSED)
    login(client, world.staff)
    assert client.get(reverse("admin:suggestions_suggestion_export")).status_code == 200
    assert client.get(reverse("admin:suggestions_suggestion_import")).status_code == 200
    assert login(client, world.leader).get(reverse("admin:suggestions_suggestion_import")).status_code == 403


def test_admin_import_previews_then_confirms(client, world):
    headers = ["标题", "内容", "区划代码", "状态", "提出日期", "受理日期", "原编号"]
    dataset = tablib.Dataset(headers=headers)
    dataset.append(["旧账里的一件事", "内容", world.township.code, "已受理", "2022-05-01", "2022-05-03", "2022-9"])
    upload = SimpleUploadedFile("book.xlsx", XLSX().export_data(dataset))
    login(client, world.staff)
    response = client.post(
        reverse("admin:suggestions_suggestion_import"), {"import_file": upload, "format": "0", "resource": "0"}
    )
    page = response.content.decode()
    assert "process_import" in page and "旧账里的一件事" in page
    assert Suggestion.objects.count() == 0
    done = client.post(reverse("admin:suggestions_suggestion_process_import"), response.context["confirm_form"].initial)
    assert done.status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.status == Status.ACCEPTED and suggestion.source == "import"


def test_admin_import_with_a_bad_row_imports_nothing(client, world):
    headers = ["标题", "内容", "区划代码", "状态", "提出日期"]
    dataset = tablib.Dataset(headers=headers)
    dataset.append(["一件事", "内容", world.township.code, "已受理", "2022-05-01"])
    dataset.append(["另一件", "内容", world.township.code, "已办结", "2022-05-01"])
    upload = SimpleUploadedFile("book.xlsx", XLSX().export_data(dataset))
    response = login(client, world.staff).post(
        reverse("admin:suggestions_suggestion_import"), {"import_file": upload, "format": "0", "resource": "0"}
    )
    page = response.content.decode()
    assert "process_import" not in page and "第 3 行" in page
    assert Suggestion.objects.count() == 0


def test_the_admin_escalation_form_offers_the_levels_above_the_staff_members_own(world, client):
    suggestion = world.submit()
    client.force_login(world.staff)
    page = client.get(reverse("admin:suggestions_suggestion_workflow", args=[suggestion.pk, "escalate"])).content.decode()
    select = page.split('name="to_region"')[1].split("</select>")[0]
    assert f'value="{world.city.code}"' in select and f'value="{world.county.code}"' not in select
    response = client.post(reverse("admin:suggestions_suggestion_workflow", args=[suggestion.pk, "escalate"]),
                           {"to_region": world.city.code, "note": "涉及市级事权"})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.escalated_to == world.city


def test_staff_keep_their_congress_terms_in_the_admin(world, client):
    from suggestions.models import Term

    client.force_login(world.city_staff)
    response = client.post(reverse("admin:suggestions_term_add"), {
        "name": "长治市第十五届", "region": world.city.code, "start_on": "2021-09-01", "end_on": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Term.objects.get().name == "长治市第十五届"
    client.force_login(world.staff)  # a county's staff do not keep the city's term
    assert client.get(reverse("admin:suggestions_term_change", args=[Term.objects.get().pk])).status_code in (302, 403, 404)


def test_staff_assign_many_at_once_in_the_admin(world, client):
    ready = [world.drive(world.submit(title=f"会后建议{i}"), Status.ACCEPTED) for i in range(2)]
    not_yet = world.submit(title="未受理的")
    client.force_login(world.staff)
    url = reverse("admin:suggestions_suggestion_changelist")
    selected = [s.pk for s in [*ready, not_yet]]
    page = client.post(url, {"action": "assign_selected", "_selected_action": selected})
    assert page.status_code == 200 and "批量交办" in page.content.decode()
    response = client.post(url, {
        "action": "assign_selected", "apply": "1", "_selected_action": selected,
        "route": "district", "lead_unit": world.unit.pk, "requirements": "会后统一交办",
    }, follow=True)
    text = response.content.decode()
    assert "已交办 2 件" in text and not_yet.code in text
    assert {s.status for s in Suggestion.objects.filter(pk__in=[s.pk for s in ready])} == {Status.ASSIGNED}
    assert Suggestion.objects.get(pk=not_yet.pk).status == Status.SUBMITTED
    # a wrong level is refused for each item, nothing assigned
    again = world.drive(world.submit(title="层级不符"), Status.ACCEPTED)
    response = client.post(url, {"action": "assign_selected", "apply": "1", "_selected_action": [again.pk],
                                 "route": "township", "lead_unit": world.unit.pk}, follow=True)
    assert "ROUTE_UNIT_LEVELS" in response.content.decode()
    assert not again.assignments.exists()
