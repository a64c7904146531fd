from django import forms
from django.core.exceptions import ValidationError

from core.errors import ApplicationError
from core.forms import form_add_service_error


class NameForm(forms.Form):
    name = forms.CharField()


def _bound():
    form = NameForm({"name": "Asha"})
    assert form.is_valid()
    return form


def test_a_refusal_naming_a_field_lands_on_that_field():
    form = _bound()
    form_add_service_error(form, ApplicationError("Already taken.", field="name"))
    assert form.errors == {"name": ["Already taken."]}


def test_a_refusal_naming_an_unknown_field_is_shown_for_the_whole_form():
    form = _bound()
    form_add_service_error(form, ValidationError({"programme": "Closed.", "name": "Too short."}))
    assert form.errors["name"] == ["Too short."]
    assert form.non_field_errors() == ["Closed."]


def test_a_plain_validation_error_is_shown_for_the_whole_form():
    form = _bound()
    form_add_service_error(form, ValidationError("Nothing was saved."))
    assert form.non_field_errors() == ["Nothing was saved."]


def test_service_action_flashes_the_outcome_and_passes_the_actor():
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.test import RequestFactory

    from core.forms import service_action

    request = RequestFactory().post("/")
    request.user = "the actor"
    request.session = SessionStore()
    request._messages = FallbackStorage(request)

    def approve(*, actor, thing):
        if thing == "bad":
            raise ApplicationError("Already decided.")
        return (actor, thing)

    assert service_action(request, approve, "Approved.", thing="good") == ("the actor", "good")
    assert service_action(request, approve, "Approved.", thing="bad") is None
    assert [(m.level_tag, m.message) for m in get_messages(request)] == [
        ("success", "Approved."),
        ("error", "Already decided."),
    ]


def _request_with_messages():
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.test import RequestFactory

    request = RequestFactory().post("/")
    request.user = "the actor"
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_run_service_reports_success_with_a_message_built_from_the_result():
    from django.contrib.messages import get_messages

    from core.forms import run_service

    request = _request_with_messages()
    outcome = run_service(request, lambda: 3, lambda count: f"{count} imported.")
    assert outcome and outcome.result == 3
    assert not run_service(request, lambda: None, None).result
    assert [m.message for m in get_messages(request)] == ["3 imported."]


def test_run_service_puts_a_refusal_on_the_form_or_flashes_it():
    from django.contrib import messages
    from django.contrib.messages import get_messages

    from core.forms import run_service

    def refuse():
        raise ValidationError("Dates overlap.")

    request = _request_with_messages()
    form = _bound()
    assert not run_service(request, refuse, "Saved.", form=form)
    assert form.non_field_errors() == ["Dates overlap."]
    assert not run_service(request, refuse, "Saved.", refusal_level=messages.INFO)
    assert [(m.level_tag, m.message) for m in get_messages(request)] == [("info", "Dates overlap.")]
