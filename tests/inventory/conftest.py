"""Fixtures of the inventory tests: one regency frame for tests that build many objects."""

from __future__ import annotations

import pytest

from jangkau.inventory.geo import RegencyFrame, frame_scope


@pytest.fixture(scope="session")
def kutim_frame(django_db_setup, django_db_blocker):
    """The Kutai Timur frame (boundary and villages), loaded once."""
    with django_db_blocker.unblock():
        return RegencyFrame.load()


@pytest.fixture
def one_frame(kutim, kutim_frame):
    """Validate everything built in the test against the one loaded frame."""
    with frame_scope(kutim_frame) as frame:
        yield frame
