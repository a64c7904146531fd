import datetime

from django.utils import timezone

from safeguarding import services


def raise_concern(*, reporter, young_person=None, kind="child", **extra):
    """A concern raised through the service, as a reporter would."""
    fields = {
        "happened_at": timezone.now() - datetime.timedelta(hours=2),
        "who_is_at_risk": "The young person",
        "facts": "They said an older boy has been taking their lunch money every day.",
        "childs_words": "He says he'll get me after school if I tell anyone.",
    }
    fields.update(extra)
    return services.concern_raise(reporter=reporter, kind=kind, young_person=young_person, **fields)
