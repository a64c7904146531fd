import pytest

from training.tests.factories import build_course


@pytest.fixture
def level_one(db):
    return build_course(title="Level One: Heart of the Matter", slug="level-one", modules=2, sections=2)
