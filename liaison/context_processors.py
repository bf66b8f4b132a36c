"""What every page's layout needs: the large-text mode and the role-based navigation."""

from liaison.models import Role

LARGE_TEXT_COOKIE = "large_text"


def site(request) -> dict:
    """`large_text` (适老化 mode, from its cookie) and `nav_role`, the navigation to show.

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
    return {
        "large_text": request.COOKIES.get(LARGE_TEXT_COOKIE) == "1",
        "nav_role": nav_role,
    }
