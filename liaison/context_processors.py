"""What every page's layout needs: the large-text mode and the role-based navigation."""

from liaison.models import Role

LARGE_TEXT_COOKIE = "large_text"


def site(request) -> dict:
    """`large_text` (适老化 mode, from its cookie), `nav_role` (the navigation to show) and
    `unread_notifications` (a callable: the count runs only where a template shows it).

    The role is read from the user the auth middleware already loads lazily; an anonymous
    visitor gets the public navigation without touching the database.
    """
    user = getattr(request, "user", None)
    nav_role = "public"
    if user is not None and user.is_authenticated:
        if user.role == Role.DEPUTY:
            nav_role = "deputy"
        elif user.role == Role.UNIT_OFFICER:
            nav_role = "officer"
        else:
            nav_role = "staff"
    def unread_notifications() -> int:
        # Called only by a template that shows it (the signed-in navigation): one COUNT.
        if nav_role == "public":
            return 0
        return user.notifications.filter(read_at__isnull=True).count()

    return {
        "large_text": request.COOKIES.get(LARGE_TEXT_COOKIE) == "1",
        "nav_role": nav_role,
        "unread_notifications": unread_notifications,
    }
