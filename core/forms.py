"""What every app's views share when a form's data goes to a service."""

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


def form_save(request, form, save, success_message: str, **service_kwargs):
    """Call `save(actor=request.user, **service_kwargs)`; on success flash the message and return the
    result, on refusal put the messages on the form and return None."""
    try:
        result = save(actor=request.user, **service_kwargs)
    except (ValidationError, ApplicationError) as error:
        form_add_service_error(form, error)
        return None
    messages.success(request, success_message)
    return result


def service_action(request, act, success_message: str, **service_kwargs):
    """For a posted action without a form: call `act(actor=request.user, **service_kwargs)`, then flash
    the success message and return the result, or flash the service's refusal and return None."""
    try:
        result = act(actor=request.user, **service_kwargs)
    except ApplicationError as error:
        messages.error(request, error.message)
        return None
    messages.success(request, success_message)
    return result
