"""Which home pages a write to recruitment's rows makes out of date (see core.home_cache)."""

from core.home_cache import Scopes, by_fields, register_home_dependency

from .models import Application, ConsentRecord, ConsentRequest, Invitation, Reference, ScreeningCheck


def _application_scopes(row) -> Scopes:
    return Scopes(
        users=set(Application.objects.filter(pk=row.application_id).values_list("user_id", flat=True))
    )


def register() -> None:
    register_home_dependency(Application, by_fields(users=["user"]))
    register_home_dependency(ScreeningCheck, _application_scopes)
    register_home_dependency(Reference, _application_scopes)
    register_home_dependency(Invitation, by_fields(users=["user"]))
    register_home_dependency(ConsentRequest, by_fields(users=["mentee"]))
    register_home_dependency(ConsentRecord, by_fields(users=["mentee"]))
