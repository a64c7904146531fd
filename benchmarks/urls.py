"""The project's URLs plus `/bench/rows/`: a plain Django page rendering 20 rows, the benchmark's floor."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import Context, Template
from django.urls import path

from accounts.models import User
from config.urls import urlpatterns as project_urlpatterns

ROWS = Template(
    "<!doctype html><html lang='en'><title>Rows</title><table>"
    "{% for user in users %}<tr><td>{{ user.pk }}</td><td>{{ user.first_name }}</td>"
    "<td>{{ user.email }}</td></tr>{% endfor %}</table></html>"
)


@login_required
def rows(request):
    users = list(User.objects.order_by("pk")[:20])
    return HttpResponse(ROWS.render(Context({"users": users})))


urlpatterns = [path("bench/rows/", rows, name="bench_rows"), *project_urlpatterns]
