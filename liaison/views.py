"""Pages shared by every role: the home page, the large-text switch and the workbench redirect."""

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.auth import lockout_remaining
from liaison.clients import client_address
from liaison.context_processors import LARGE_TEXT_COOKIE
from liaison.models import Role

ONE_YEAR = 365 * 24 * 3600


def home(request):
    return render(request, "home.html")


def _safe_next(request, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_POST
def large_text_toggle(request):
    """适老化: switch the larger type on or off for this browser and go back to the page.

    A plain form post, so it works without JavaScript; the choice lives in a cookie so an
    anonymous visitor keeps it without a session.
    """
    response = redirect(_safe_next(request))
    wanted = request.POST.get("large_text")
    turn_on = wanted == "1" if wanted in ("0", "1") else request.COOKIES.get(LARGE_TEXT_COOKIE) != "1"
    if turn_on:
        response.set_cookie(LARGE_TEXT_COOKIE, "1", max_age=ONE_YEAR, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(LARGE_TEXT_COOKIE, samesite="Lax")
    return response


@login_required
def workbench(request):
    """Where a signed-in person starts: each role has its own first page."""
    user = request.user
    if user.role == Role.DEPUTY:
        target = reverse("deputies:dashboard")
    elif user.role == Role.UNIT_OFFICER:
        target = reverse("suggestions:inbox")
    elif user.role == Role.LEADER and not user.is_superuser:
        target = reverse("suggestions:supervision")
    else:
        target = reverse("suggestions:review_queue")
    return redirect(target)


class LoginForm(AuthenticationForm):
    """Django's login form, telling a locked-out user how long to wait (liaison.auth)."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            remaining = lockout_remaining(self.cleaned_data.get("username") or "", client_address(self.request))
            if remaining:
                minutes = max(1, (remaining + 59) // 60)
                raise forms.ValidationError(
                    _("登录失败次数过多，请 %(minutes)d 分钟后再试。") % {"minutes": minutes},
                    code="locked",
                ) from None
            raise


class LoginView(auth_views.LoginView):
    """登录: deputies, unit officers and staff sign in here; each lands on their own workbench."""

    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True
