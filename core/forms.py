"""What every app's views share when a posted action or a form's data goes to a service.

`run_service` is the one way a view calls a service and reports the outcome: it runs the call,
flashes the success message (or puts the service's refusal on the form, or flashes it), and says
whether it worked. `service_action` and `form_save` are its shorthands for services that take the
signed-in person as `actor`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError

from .errors import ApplicationError


def form_add_service_error(form, error: ValidationError | ApplicationError) -> None:
    """Put a service's refusal onto the form, on the field it names when the form has that field."""
    if isinstance(error, ApplicationError):
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_messages in error.message_dict.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


def refusal_text(error: ValidationError | ApplicationError) -> str:
    """A service's refusal as one sentence to flash."""
    if isinstance(error, ApplicationError):
        return error.message
    return " ".join(error.messages)


@dataclass(frozen=True)
class Outcome:
    """What a service call came to: `ok` (true when it succeeded) and the service's result."""

    ok: bool
    result: Any = None

    def __bool__(self) -> bool:
        return self.ok


def run_service(
    request,
    call: Callable[[], Any],
    success: str | Callable[[Any], str | None] | None = None,
    *,
    form=None,
    refusal_level: int = messages.ERROR,
) -> Outcome:
    """Run `call()` (the service call with its arguments bound) and report what happened.

    On success, flash `success` (a text, or a function of the service's result giving the text;
    nothing when it is None) and return a true `Outcome` holding the result. When the service
    refuses (`ApplicationError`, or a `ValidationError` from the models), put the refusal on `form`
    when there is one, else flash it at `refusal_level`; return a false `Outcome`.
    """
    try:
        result = call()
    except (ApplicationError, ValidationError) as error:
        if form is not None:
            form_add_service_error(form, error)
        else:
            messages.add_message(request, refusal_level, refusal_text(error))
        return Outcome(False)
    text = success(result) if callable(success) else success
    if text:
        messages.success(request, text)
    return Outcome(True, result)


def form_save(request, form, save, success_message: str, **service_kwargs):
    """Call `save(actor=request.user, **service_kwargs)`; on success flash the message and return the
    result, on refusal put the messages on the form and return None."""
    return run_service(
        request, lambda: save(actor=request.user, **service_kwargs), success_message, form=form
    ).result


def service_action(request, act, success_message: str, **service_kwargs):
    """For a posted action without a form: call `act(actor=request.user, **service_kwargs)`, then flash
    the success message and return the result, or flash the service's refusal and return None."""
    return run_service(request, lambda: act(actor=request.user, **service_kwargs), success_message).result
