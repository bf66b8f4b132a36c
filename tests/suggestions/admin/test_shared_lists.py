"""The lists staff keep in the admin: categories, the holiday table."""

from django.urls import reverse

from suggestions.models import Category, Holiday


def login(client, user):
    client.force_login(user)
    return client


def test_staff_keep_categories_and_the_holiday_table(client, world):
    login(client, world.staff)
    response = client.post(reverse("admin:suggestions_category_add"), {"name": "教育", "order": 3, "is_active": "on"})
    assert response.status_code == 302 and Category.objects.filter(name="教育").exists()
    response = client.post(reverse("admin:suggestions_holiday_add"), {"date": "2031-10-08", "is_workday": "on", "note": "国庆调休"})
    assert response.status_code == 302 and Holiday.objects.get(date="2031-10-08").is_workday
    login(client, world.leader)
    assert client.get(reverse("admin:suggestions_holiday_changelist")).status_code == 200
    assert client.get(reverse("admin:suggestions_holiday_add")).status_code == 403
