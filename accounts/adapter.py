from allauth.account.adapter import DefaultAccountAdapter

from core.email import email_enqueue


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up, verification and password emails go through the task queue like every other email."""

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        email_enqueue(message)
