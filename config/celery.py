import gc
import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

# core.dispatch.Task: Celery's Django task class, whose delay_on_commit survives a broker outage.
app = Celery("mentorbridge", task_cls="core.dispatch:Task")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def freeze_start_up_objects(**_kwargs) -> None:
    """Keep what a worker loaded at start (Django, the apps, their modules) out of the garbage
    collector's full passes: those objects live as long as the process, and on the busy development
    machine a full pass over them took about 0.3 s, most of a 500-mentee matching round's time."""
    gc.freeze()
