"""Starter content every programme gets: the resource library and the FAQ, written for this platform.

The files live in `resources/starter/`: one Markdown file per resource in `library/` (a YAML front
matter with the title, summary, kind, topic, ingredient, audiences, minutes and keywords, then the
body; read by `core.content_files` like the training courses) and `faq.md` (`# Question`, a
`topic:` line, then the answer). Loading is idempotent and never overwrites what staff have since
edited: rows are created only when their slug (resources) or question (FAQ) is missing. Every file
is read and checked before anything is written.
"""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from core.content_files import ContentFileError, checked, read_content_file, validated

from .models import Audience, FaqEntry, Resource

STARTER_DIR = Path(__file__).resolve().parent / "starter"
AUDIENCE_FIELDS = {audience.value: field for audience, field in Resource.AUDIENCE_FIELDS.items()}


@dataclass
class LoadResult:
    resources_created: int
    faq_created: int


RESOURCE_FIELDS = {"title", "summary", "kind", "topic", "ingredient", "audiences", "minutes"}


def parse_resource(path: Path) -> dict:
    file = read_content_file(path, required=RESOURCE_FIELDS, optional={"keywords"})
    meta = file.meta
    audiences = checked(path, meta["audiences"], list, "'audiences'")
    for audience in audiences:
        checked(path, audience, str, "each of 'audiences' (in quotes when it starts with a digit)")
    unknown = set(audiences) - set(Audience.values)
    if unknown:
        raise ContentFileError(
            path, f"unknown audiences {sorted(unknown)} (known: {', '.join(Audience.values)})"
        )
    text = {
        key: checked(path, meta.get(key, ""), str, f"'{key}'")
        for key in RESOURCE_FIELDS - {"audiences", "minutes"}
    }
    return {
        "slug": path.stem,
        **text,
        "minutes": checked(path, meta["minutes"], int, "'minutes'"),
        "keywords": checked(path, meta.get("keywords", ""), str, "'keywords'"),
        "body": file.body + "\n",
        **{field: value in audiences for value, field in AUDIENCE_FIELDS.items()},
    }


def parse_faq(path: Path) -> list[dict]:
    entries = []
    for position, block in enumerate(path.read_text(encoding="utf-8").split("\n# ")):
        block = block.removeprefix("# ").strip()
        if not block:
            continue
        question, _, rest = block.partition("\n")
        topic_line, _, answer = rest.strip().partition("\n")
        entries.append(
            {
                "question": question.strip(),
                "topic": topic_line.removeprefix("topic:").strip(),
                "answer": answer.strip() + "\n",
                "position": (position + 1) * 10,
            }
        )
    return entries


def load_starter_content(starter_dir: Path = STARTER_DIR) -> LoadResult:
    """Add the starter resources and FAQ entries that are missing. Every file is read first; a bad one
    raises ContentFileError naming it, and nothing is written."""
    resources = [(path, parse_resource(path)) for path in sorted((starter_dir / "library").glob("*.md"))]
    faq_path = starter_dir / "faq.md"
    faq = parse_faq(faq_path)
    now = timezone.now()
    resources_created = faq_created = 0
    with transaction.atomic():
        for path, data in resources:
            if Resource.objects.filter(slug=data["slug"]).exists():
                continue
            resource = Resource(**data, status=Resource.Status.PUBLISHED, published_at=now, is_starter=True)
            validated(path, resource)
            resource.save()
            resources_created += 1
        for data in faq:
            if FaqEntry.objects.filter(question=data["question"]).exists():
                continue
            entry = FaqEntry(**data, is_starter=True)
            validated(faq_path, entry)
            entry.save()
            faq_created += 1
    return LoadResult(resources_created, faq_created)
