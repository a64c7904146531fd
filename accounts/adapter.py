from allauth.account.adapter import DefaultAccountAdapter

from core.client_ip import client_ip
from core.email import email_enqueue

from . import sign_in_limits


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up, verification and password emails go through the task queue like every other email;
    wrong passwords are limited by account and, much more loosely, by address (sign_in_limits)."""

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        email_enqueue(message)

    def get_client_ip(self, request):
        return client_ip(request) or super().get_client_ip(request)

    def authenticate(self, request, **credentials):
        login = credentials.get("email") or credentials.get("username") or ""
        if sign_in_limits.address_over_limit(request) and not sign_in_limits.is_known_browser(request, login):
            raise self.validation_error("too_many_login_attempts")
        user = super().authenticate(request, **credentials)
        if user is None:
            sign_in_limits.address_failure_record(request)
        return user

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        # Email is the login, so the person's address is what they typed (in any case).
        if response is not None and user.email:
            sign_in_limits.known_browser_remember(request, response, user.email)
        return response
