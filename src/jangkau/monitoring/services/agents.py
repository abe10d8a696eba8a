"""Agent tokens: issue, revoke, and authenticate a request's bearer token."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from jangkau.monitoring.models import Agent
from jangkau.monitoring.models.agents import hash_token
from jangkau.regions.models import Village


@dataclass(frozen=True)
class IssuedToken:
    """An agent and its new token in clear (shown once, never stored)."""

    agent: Agent
    token: str
    created: bool


def issue_token(name: str, village_code: str | None = None) -> IssuedToken:
    """Create the agent ``name`` (or reinstate it) with a new token; the old one stops working.

    Raises ``Village.DoesNotExist`` for an unknown village code.
    """
    village = Village.objects.get(code=village_code) if village_code else None
    with transaction.atomic():
        agent = Agent.objects.select_for_update().filter(name=name).first()
        created = agent is None
        if created:
            agent = Agent(name=name)
        token = agent.issue_token()
        if village is not None:
            agent.village = village
        agent.save()
    return IssuedToken(agent, token, created)


def bearer_token(request) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def authenticate(request) -> Agent | None:
    """The active agent whose token the request carries, or None (missing, unknown, revoked).

    The lookup is by the token's SHA-256 (unique index); the stored hash is then compared in
    constant time.
    """
    token = bearer_token(request)
    if token is None or len(token) > 200:
        return None
    agent = Agent.objects.filter(token_hash=hash_token(token)).first()
    if agent is None or not agent.token_matches(token) or not agent.is_active:
        return None
    return agent
