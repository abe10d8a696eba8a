"""Shared fixtures: the real Kutai Timur data loaded once per test session, and personas."""

from __future__ import annotations

import pytest


def load_kutim_into_db() -> None:
    from jangkau.core.roles import ensure_role_groups
    from jangkau.evidence.loaders import load_blankspots
    from jangkau.evidence.services import recompute_statuses
    from jangkau.regions.datasets import KUTIM_DIR, load_kutim

    ensure_role_groups()
    load_kutim()
    load_blankspots(KUTIM_DIR / "blankspot_desa_kutim_2021_2022.csv")
    recompute_statuses()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Migrate the test database, then load the shipped Kutai Timur dataset once."""
    with django_db_blocker.unblock():
        load_kutim_into_db()


@pytest.fixture
def kutim(db):
    """The real regency, loaded (rolled back after each test)."""
    from jangkau.regions.models import Regency

    return Regency.objects.get(code="64.08")


@pytest.fixture
def make_user(db):
    """Create a user holding one role (and villages, for a village operator)."""
    from django.contrib.auth.models import Group, User

    from jangkau.core.roles import ensure_role_groups
    from jangkau.regions.models import Village, VillageOperatorAssignment

    def make(role: str | None, username: str | None = None, villages: tuple[str, ...] = ()):
        ensure_role_groups()
        user = User.objects.create_user(
            username or f"user-{role or 'none'}", password="pw-123456789"
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        for code in villages:
            VillageOperatorAssignment.objects.create(
                user=user, village=Village.objects.get(code=code)
            )
        return user

    return make


@pytest.fixture(autouse=True)
def _clear_cache(request):
    """Rate-limit counters live in the cache: each test starts with none.

    Pure-core tests also run without Django (``pytest -p no:django tests/cores``); then there
    is no cache to clear.
    """
    if not request.config.pluginmanager.hasplugin("django"):
        yield
        return
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
