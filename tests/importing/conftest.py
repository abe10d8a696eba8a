"""Messages are asserted in English, the source language; the site's default is Indonesian."""

from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(request):
    if not request.config.pluginmanager.hasplugin("django"):  # pure tests: -p no:django
        yield
        return
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    """pytest-django's client, asking for English pages (and English import problems)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
