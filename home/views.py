"""The landing page and each role's home page. A home page is its title and heading around the
panels the apps register for the role (core.panels); this module knows no app's content. The
mentor's and coordinator's pages are kept in the cache per person (core.home_cache)."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from accounts.models import Role
from core.home_cache import CSRF_PLACEHOLDER, HomeRecord
from core.panels import home_panels


@dataclass(frozen=True)
class HomePage:
    title: str
    heading: str  # "{first_name}" is filled in with the person's first name
    # Shown when no panel has anything for the person (None: nothing).
    when_empty: str | None = None


HOME_PAGES = {
    Role.MENTOR: HomePage("Your mentoring", "Hello, {first_name}"),
    Role.MENTEE: HomePage("Your mentoring", "Hi {first_name}"),
    Role.COORDINATOR: HomePage("Coordinator home", "Coordinator home"),
    Role.SAFEGUARDING_LEAD: HomePage("Safeguarding home", "Safeguarding home"),
    Role.PROGRAMME_STAFF: HomePage("Programme team home", "Programme team home"),
    Role.FUNDER: HomePage("Programme overview", "Programme overview"),
    Role.EMPLOYER_CONTACT: HomePage(
        "Your organisation's mentoring",
        "Your organisation's mentoring",
        when_empty="home/employer_not_linked.html",
    ),
}
NO_ROLE = HomePage("Welcome", "Welcome, {first_name}", when_empty="home/no_role.html")

# Served through the cache (core.home_cache): the pages people come back to most.
CACHED_ROLES = {Role.MENTOR, Role.COORDINATOR}


@require_safe
def landing(request):
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "home/landing.html")


@login_required
@require_safe
def home(request):
    # One cache visit: the person's cached content and roles, if nothing they show has changed.
    record = HomeRecord(request.user)
    role = request.user.primary_role
    page = HOME_PAGES.get(role, NO_ROLE)
    if role in CACHED_ROLES:
        return _cached_home(request, role, page, record)
    return render(request, "home/home.html", {"title": page.title, **_content_context(request, role, page)})


def _content_context(request, role, page: HomePage) -> dict:
    user = request.user
    return {
        "heading": page.heading.format(first_name=user.first_name or user.email),
        "panels": home_panels(request, role) if role else [],
        "when_empty": page.when_empty,
        "other_roles": sorted(Role(other).label for other in user.roles if other != role),
    }


def _cached_home(request, role, page: HomePage, record):
    """The page's content comes from the cache while nothing it shows has changed
    (core.home_cache), with this request's CSRF token put in."""

    def render_content() -> str:
        context = _content_context(request, role, page)
        context["csrf_token"] = CSRF_PLACEHOLDER
        return render_to_string("home/_content.html", context, request)

    def render_page(content: str, csrf_token: str | None) -> str:
        # The content was rendered (and escaped) by the template engine: it is safe as it stands.
        context = {"title": page.title, "content": mark_safe(content)}  # noqa: S308  # nosec B308 B703
        if csrf_token is not None:
            context["csrf_token"] = csrf_token
        return render_to_string("home/cached.html", context, request)

    partner_ids = request.user.coordinated_partner_ids if role == Role.COORDINATOR else ()
    return HttpResponse(
        record.page(
            request,
            role=role,
            partner_ids=partner_ids,
            render_content=render_content,
            render_page=render_page,
        )
    )
