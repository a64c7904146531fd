"""Addresses that are the same on every request, worked out once per process.

A link without arguments (`reverse("accounts:profile")`) and a static file's address depend only on
the URL configuration, the script prefix and the static files set-up, never on the request or the
person: reversing one costs Django about 95 Python calls and a static address about 80, and every
page shows a dozen or more of them (the navigation, the page frame in base.html, the panels' links).
They are kept here per process, keyed on what they depend on, and forgotten when a setting they
depend on changes (tests that override them)."""

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

_urls: dict[tuple, str] = {}
_static: dict[tuple, str] = {}
# For a URL name taking one integer (a primary key): the text before and after it (None: reversed
# each time).
_id_urls: dict[tuple, tuple[str, str] | None] = {}
_STAND_IN = 918273645

# Settings that change what reverse() or static() answer.
_SETTINGS = {"ROOT_URLCONF", "FORCE_SCRIPT_NAME", "STATIC_URL", "STORAGES", "DEBUG"}


def reverse_once(name: str, current_app: str | None = None, where: tuple | None = None) -> str:
    """`reverse(name)` for a URL name that takes no arguments, reversed once per URL configuration,
    script prefix and current application namespace. `where`: `reversing_where(current_app)`, when
    the caller has it (a page reverses many names under the same)."""
    key = (name, where or reversing_where(current_app))
    url = _urls.get(key)
    if url is None:
        url = _urls[key] = reverse(name, current_app=current_app)
    return url


def reverse_id(name: str, pk, current_app: str | None = None, where: tuple | None = None) -> str:
    """`reverse(name, args=[pk])` for a URL name whose one argument is an integer (a primary key): the
    address is reversed once per URL configuration, script prefix and current application namespace
    with a stand-in number, and each integer is put in its place (a list of 20 rows' links cost Django
    about 100 calls each). Anything but a non-negative int, or a URL whose address does not hold the
    number as it is written (a converter formatting it otherwise), is reversed by Django each time."""
    if type(pk) is not int or pk < 0:
        return reverse(name, args=[pk], current_app=current_app)
    key = (name, where or reversing_where(current_app))
    if key in _id_urls:
        parts = _id_urls[key]
    else:
        parts = _id_urls[key] = _id_parts(name, current_app)
    if parts is None:
        return reverse(name, args=[pk], current_app=current_app)
    return f"{parts[0]}{pk}{parts[1]}"


def _id_parts(name: str, current_app: str | None) -> tuple[str, str] | None:
    try:
        url = reverse(name, args=[_STAND_IN], current_app=current_app)
    except NoReverseMatch:
        return None
    if url.count(str(_STAND_IN)) != 1:
        return None
    before, after = url.split(str(_STAND_IN))
    # The number written as it is, whatever its length: else each is reversed by Django.
    for pk in (0, 7, 42, 2026):
        try:
            if reverse(name, args=[pk], current_app=current_app) != f"{before}{pk}{after}":
                return None
        except NoReverseMatch:
            return None
    return before, after


def reversing_where(current_app: str | None = None) -> tuple:
    """What reverse() depends on besides the name: the current application, the script prefix and
    the URL configuration (both set per thread for the request)."""
    return (current_app, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def static_once(path: str) -> str:
    """`static(path)`: the storage's address of a static file, looked up once per path (the manifest
    of hashed names is read when the process starts and does not change while it runs)."""
    key = (path, settings.STATIC_URL, settings.DEBUG)
    url = _static.get(key)
    if url is None:
        url = _static[key] = static(path)
    return url


@receiver(setting_changed)
def _forget(setting, **kwargs):
    if setting in _SETTINGS:
        _urls.clear()
        _static.clear()
        _id_urls.clear()
