"""The API's key door follows the same policy as the sign-in form: a person whose role needs
two-factor authentication is refused until they have set it up, and keys expire and can be revoked."""

from allauth.mfa.utils import is_mfa_enabled
from django.utils import timezone
from rest_framework import authentication, exceptions

from .models import ApiToken, api_token_digest
from .security import mfa_required_for

# Recording every use would be a write per request; the day a key was last used is enough.
LAST_USED_PRECISION_SECONDS = 60 * 60


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>` with a key created on the account's API keys page."""

    def authenticate_credentials(self, key):
        now = timezone.now()
        token = ApiToken.objects.select_related("user").filter(digest=api_token_digest(key)).first()
        if token is None or token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("Invalid API key.")
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed("This API key has expired: create a new one.")
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed("This account is not active.")
        if mfa_required_for(user) and not is_mfa_enabled(user):
            raise exceptions.AuthenticationFailed(
                "Your role needs two-factor authentication: set it up before using the API."
            )
        if (
            token.last_used_at is None
            or (now - token.last_used_at).total_seconds() > LAST_USED_PRECISION_SECONDS
        ):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return user, token
