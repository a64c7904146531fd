from django.db import migrations
from django.utils.text import slugify

INDUSTRIES = [
    "Accountancy and finance",
    "Arts, culture and heritage",
    "Business and management",
    "Charity and community work",
    "Construction and trades",
    "Creative and digital media",
    "Education and teaching",
    "Engineering and manufacturing",
    "Environment and energy",
    "Healthcare and medicine",
    "Hospitality, travel and tourism",
    "Law",
    "Marketing and communications",
    "Public sector and government",
    "Retail and customer service",
    "Science and research",
    "Social care",
    "Sport and fitness",
    "Technology and IT",
    "Transport and logistics",
]

INTERESTS = [
    "Art and design",
    "Books and writing",
    "Coding and gaming",
    "Cooking",
    "Faith and community",
    "Fashion",
    "Film and TV",
    "Football",
    "Languages",
    "Music",
    "Nature and the outdoors",
    "Photography",
    "Politics and current affairs",
    "Science and space",
    "Sport and fitness",
    "Theatre and dance",
    "Volunteering",
]


def add_taxonomy(apps, schema_editor):
    Industry = apps.get_model("accounts", "Industry")
    Interest = apps.get_model("accounts", "Interest")
    for name in INDUSTRIES:
        Industry.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    for name in INTERESTS:
        Interest.objects.get_or_create(slug=slugify(name), defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_recruitment")]

    operations = [migrations.RunPython(add_taxonomy, migrations.RunPython.noop)]
