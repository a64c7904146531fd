"""Starter content every programme gets: the resource library and the FAQ, written for this platform.

The files live in `resources/starter/`: one Markdown file per resource (a header of `key: value`
lines, then `---`, then the body) and `faq.md` (`# Question`, a `topic:` line, then the answer).
Loading is idempotent and never overwrites what staff have since edited: rows are created only when
their slug (resources) or question (FAQ) is missing.
"""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from .models import Audience, FaqEntry, Resource

STARTER_DIR = Path(__file__).resolve().parent / "starter"
AUDIENCE_FIELDS = {audience.value: field for audience, field in Resource.AUDIENCE_FIELDS.items()}


@dataclass
class LoadResult:
    resources_created: int
    faq_created: int


def parse_resource(path: Path) -> dict:
    header, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
    meta = {}
    for line in header.strip().splitlines():
        key, _, value = line.partition(":")
        meta[key.strip()] = value.strip()
    audiences = {item.strip() for item in meta.pop("audiences").split(",")}
    unknown = audiences - set(Audience.values)
    if unknown:
        raise ValueError(f"{path.name}: unknown audiences {sorted(unknown)}")
    return {
        "slug": path.stem,
        "title": meta["title"],
        "summary": meta["summary"],
        "kind": meta["kind"],
        "topic": meta["topic"],
        "ingredient": meta["ingredient"],
        "minutes": int(meta["minutes"]),
        "keywords": meta.get("keywords", ""),
        "body": body.strip() + "\n",
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


@transaction.atomic
def load_starter_content() -> LoadResult:
    now = timezone.now()
    resources_created = 0
    for path in sorted((STARTER_DIR / "library").glob("*.md")):
        data = parse_resource(path)
        resource = Resource(**data, status=Resource.Status.PUBLISHED, published_at=now, is_starter=True)
        if Resource.objects.filter(slug=resource.slug).exists():
            continue
        resource.full_clean()
        resource.save()
        resources_created += 1
    faq_created = 0
    for data in parse_faq(STARTER_DIR / "faq.md"):
        entry = FaqEntry(**data, is_starter=True)
        if FaqEntry.objects.filter(question=entry.question).exists():
            continue
        entry.full_clean()
        entry.save()
        faq_created += 1
    return LoadResult(resources_created, faq_created)
