"""The pages: similar items with a one-step merge on an item's page, the suggested units on
the assign step, and the public form's "already being handled" list and follow."""

from django.urls import reverse

from suggestions.models import Assignment, AssignmentRole, AssignmentStatus, Status, Suggestion

LIGHT = {"title": "小区门口红绿灯不亮", "content": "幸福小区门口的红绿灯坏了一周，过马路很危险。"}


def test_staff_see_similar_items_and_merge_in_one_step(client, world):
    target = world.drive(world.submit(**LIGHT), Status.ACCEPTED)
    new = world.submit(title="小区门口的信号灯坏了", content="幸福小区门口信号灯不亮")
    client.force_login(world.staff)
    page = client.get(reverse("suggestions:detail", args=[new.pk])).content.decode()
    assert "相似事项" in page and target.code in page and "并入此事项" in page
    response = client.post(
        reverse("suggestions:act", args=[new.pk, "merge"]), {"merge-into": target.code, "merge-note": "同一事项"}
    )
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.status == Status.MERGED and new.merged_into_id == target.pk


def test_an_item_staff_cannot_see_is_not_listed(client, world):
    from tests.factories import SuggestionFactory

    hidden = SuggestionFactory(region=world.other_township, status=Status.ACCEPTED, **LIGHT)
    new = world.submit(title="小区门口的信号灯坏了", content="信号灯不亮")
    client.force_login(world.staff)
    page = client.get(reverse("suggestions:detail", args=[new.pk])).content.decode()
    assert hidden.code not in page


def test_the_assign_step_shows_the_suggested_units_with_their_record(client, world):
    done = world.drive(world.submit(**LIGHT), Status.REPLIED)
    assert Assignment.objects.filter(suggestion=done, role=AssignmentRole.LEAD, status=AssignmentStatus.REPLIED).exists()
    new = world.drive(world.submit(title="信号灯坏了", content="小区门口交通灯不亮"), Status.ACCEPTED)
    client.force_login(world.staff)
    page = client.get(reverse("suggestions:act", args=[new.pk, "assign"])).content.decode()
    assert "推荐的主办单位" in page and world.unit.name in page and "相似事项" in page


def test_the_public_form_carries_the_similar_list_and_a_voter_can_follow(client, world):
    target = world.drive(world.submit(**LIGHT), Status.ACCEPTED)
    url = reverse("suggestions:opinion") + f"?region={world.township.code}"
    page = client.get(url).content.decode()
    assert 'id="similar-items"' in page and "js/similar.js" in page and 'name="follow"' in page
    response = client.post(url, {
        "region": world.township.code, "title": "信号灯坏了", "content": "小区门口的交通灯不亮",
        "category": world.category.pk, "submitter_name": "赵小红", "submitter_phone": "13912345678",
        "follow": target.code,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    opinion = Suggestion.objects.get(submitter_phone="13912345678")
    assert opinion.status == Status.MERGED and opinion.merged_into_id == target.pk


def test_following_a_closed_item_from_the_form_shows_an_error_and_files_nothing(client, world):
    target = world.drive(world.submit(**LIGHT), Status.REPLIED)
    Suggestion.objects.filter(pk=target.pk).update(status=Status.DECLINED)
    url = reverse("suggestions:opinion") + f"?region={world.township.code}"
    before = Suggestion.objects.count()
    response = client.post(url, {
        "region": world.township.code, "title": "信号灯坏了", "content": "交通灯不亮",
        "category": world.category.pk, "follow": target.code,
    })
    assert response.status_code == 200 and Suggestion.objects.count() == before
    assert "请直接提交意见" in response.content.decode()


def test_staff_bundle_an_item_with_ticked_similar_items(client, world):
    first = world.drive(world.submit(**LIGHT), Status.ASSIGNED)
    second = world.drive(world.submit(title="小区门口的信号灯坏了", content="幸福小区门口信号灯不亮"), Status.ASSIGNED)
    client.force_login(world.staff)
    page = client.get(reverse("suggestions:detail", args=[second.pk])).content.decode()
    assert "打捆督办" in page
    response = client.post(reverse("suggestions:bundle_similar", args=[second.pk]), {"items": [first.pk], "title": "幸福小区信号灯"})
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.bundle_id and first.bundle_id == second.bundle_id and second.bundle.title == "幸福小区信号灯"


def test_bundling_an_item_alone_or_out_of_state_changes_nothing(client, world):
    item = world.drive(world.submit(**LIGHT), Status.ACCEPTED)
    other = world.drive(world.submit(title="信号灯坏了", content="交通灯不亮"), Status.ASSIGNED)
    client.force_login(world.staff)
    client.post(reverse("suggestions:bundle_similar", args=[item.pk]), {"items": [other.pk]})
    client.post(reverse("suggestions:bundle_similar", args=[other.pk]), {"items": []})
    assert not Suggestion.objects.filter(bundle__isnull=False).exists()
    assert client.post(reverse("suggestions:bundle_similar", args=[item.pk])).status_code == 302
    client.force_login(world.other_staff)
    assert client.post(reverse("suggestions:bundle_similar", args=[item.pk]), {"items": [other.pk]}).status_code == 404
