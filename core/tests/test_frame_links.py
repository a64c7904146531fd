"""`{% url %}` and `{% static %}` (core.templatetags.links, a builtin) give the addresses Django's own
tags give, working out the constant ones once per process and forgetting them when a setting they
depend on changes."""

import pytest
from django.template import Context, Engine, Template
from django.templatetags.static import static
from django.test import RequestFactory
from django.urls import reverse

from core import links
from core.templatetags.links import OnceStaticNode, OnceURLNode


def _render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_the_project_engine_uses_these_tags_for_every_template():
    engine = Engine.get_default()
    assert "core.templatetags.links" in engine.builtins
    template = engine.from_string("{% url 'home' %}{% static 'css/site.css' %}")
    assert [type(node) for node in template.nodelist] == [OnceURLNode, OnceStaticNode]


def test_a_constant_link_is_reversed_once_and_matches_django():
    links._urls.clear()
    assert _render("{% url 'accounts:profile' %}") == reverse("accounts:profile")
    assert len(links._urls) == 1
    both = _render("{% url 'accounts:profile' %}|{% url 'home' %}")
    assert both == f"{reverse('accounts:profile')}|{reverse('home')}"
    assert len(links._urls) == 2


def test_links_with_arguments_names_from_variables_and_as_var_are_django_s_own():
    links._urls.clear()
    links._id_urls.clear()
    expected = reverse("mentoring:session_log", args=[7])
    assert _render("{% url 'mentoring:session_log' value %}", value="7") == expected
    assert _render("{% url 'mentoring:session_log' pk=7 %}") == expected
    assert _render("{% url name %}", name="home") == reverse("home")
    assert _render("{% url 'home' as link %}[{{ link }}]") == f"[{reverse('home')}]"
    assert links._urls == {}
    assert links._id_urls == {}


@pytest.mark.parametrize(
    "name",
    [
        "mentoring:session_log",
        "mentoring:relationship_detail",
        "mentoring:mentee_detail",
        "safeguarding:concern_detail",
        "safeguarding:thread",
        "mentoring:programme_detail",
    ],
)
def test_a_link_to_one_integer_is_reversed_once_and_matches_django(name):
    links._id_urls.clear()
    template = Template(f"{{% url '{name}' pk %}}")
    for pk in (1, 9, 10, 123456, 0):
        assert template.render(Context({"pk": pk})) == reverse(name, args=[pk])
        assert links.reverse_id(name, pk) == reverse(name, args=[pk])
    assert len(links._id_urls) == 1
    assert links._id_urls[next(iter(links._id_urls))] is not None


def test_a_link_to_anything_but_a_non_negative_integer_is_django_s_own():
    from django.urls import NoReverseMatch

    links._id_urls.clear()
    assert links.reverse_id("training:course_detail", "first-aid") == reverse(
        "training:course_detail", args=["first-aid"]
    )
    assert links._id_urls == {}
    # A slug's URL takes a number too: written as it is, it is served from the stand-in's address.
    assert links.reverse_id("training:course_detail", 12) == reverse("training:course_detail", args=[12])
    with pytest.raises(NoReverseMatch):
        links.reverse_id("mentoring:relationship_detail", -1)
    with pytest.raises(NoReverseMatch):
        _render("{% url 'mentoring:relationship_detail' value %}", value=None)
    assert _render("{% url 'mentoring:relationship_detail' value %}", value="12") == reverse(
        "mentoring:relationship_detail", args=[12]
    )


def test_an_unknown_constant_name_still_fails_as_django_s_tag_does():
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        _render("{% url 'no-such-page' %}")


def test_the_current_application_is_passed_on():
    request = RequestFactory().get("/")
    request.current_app = "accounts"
    from django.template import RequestContext

    rendered = Template("{% url 'accounts:profile' %}").render(RequestContext(request, {}))
    assert rendered == reverse("accounts:profile", current_app="accounts")


def test_static_addresses_match_django_and_follow_the_settings(settings):
    assert _render("{% static 'css/site.css' %}") == static("css/site.css")
    settings.STATIC_URL = "/assets/"
    assert _render("{% static 'css/site.css' %}") == "/assets/css/site.css"
    assert _render("{% static path %}", path="js/x.js") == "/assets/js/x.js"


def test_a_changed_url_configuration_is_not_served_old_links(settings):
    _render("{% url 'home' %}")
    assert links._urls
    settings.FORCE_SCRIPT_NAME = "/site/"
    assert links._urls == {}


def test_an_address_with_an_id_is_reversed_once_and_matches_django(settings):
    links._id_urls.clear()
    for pk in (1, 7, 42, 918_273_645, 10**12):
        expected = reverse("recruitment:application_detail", args=[pk])
        assert links.reverse_id("recruitment:application_detail", pk) == expected
    assert links.reverse_id("mentoring:mentee_detail", 3) == reverse("mentoring:mentee_detail", args=[3])
    assert len(links._id_urls) == 2
    settings.FORCE_SCRIPT_NAME = "/site/"
    assert links._id_urls == {}


def test_an_address_without_an_id_is_refused():
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        links.reverse_id("home", 1)
