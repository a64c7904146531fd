"""The landing page and each role's home page. A home page is its title and heading around the
panels the apps register for the role (core.panels); this module knows no app's content. Every
visit computes the page afresh: nothing a person sees can be out of date."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from accounts.models import Role
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


@require_safe
def landing(request):
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "home/landing.html")


@login_required
@require_safe
def home(request):
    role = request.user.primary_role
    page = HOME_PAGES.get(role, NO_ROLE)
    user = request.user
    return render(
        request,
        "home/home.html",
        {
            "title": page.title,
            "heading": page.heading.format(first_name=user.first_name or user.email),
            "panels": home_panels(request, role) if role else [],
            "when_empty": page.when_empty,
            "other_roles": sorted(Role(other).label for other in user.roles if other != role),
        },
    )
