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
from django.urls import get_script_prefix, get_urlconf, reverse

_urls: dict[tuple, str] = {}
_id_urls: dict[tuple, tuple[str, str]] = {}
_static: dict[tuple, str] = {}
# The id an address is reversed with once, to find where a row's id goes (`reverse_with_id`).
_MARK = 918_273_645

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


def reverse_with_id(name: str, pk: int, where: tuple | None = None) -> str:
    """`reverse(name, args=[pk])` for a URL name whose one argument is an integer id (`<int:pk>`):
    reversed once per URL configuration, script prefix and current application namespace (as
    `reverse_once`), each row's id then written where the reversed id stands. A list page links each of
    its rows this way, instead of reversing 25 times."""
    key = (name, where or reversing_where())
    parts = _id_urls.get(key)
    if parts is None:
        url = reverse(name, args=[_MARK], current_app=key[1][0])
        prefix, _mark, suffix = url.partition(str(_MARK))
        if not _mark or str(_MARK) in suffix:
            raise ValueError(f"{name} does not take one integer id")
        parts = _id_urls[key] = (prefix, suffix)
    return f"{parts[0]}{int(pk)}{parts[1]}"


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
        _id_urls.clear()
        _static.clear()
