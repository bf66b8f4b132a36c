"""Opening a statistics page as a user."""

from django.urls import reverse


def get(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(name, args=args), params)
