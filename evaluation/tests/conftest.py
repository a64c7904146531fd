import pytest
from django.apps import apps

from ..content import load_instruments


@pytest.fixture(autouse=True)
def seeded_instruments(db):
    """The instruments a migration seeds; a transactional test elsewhere may have flushed them."""
    load_instruments(apps)
