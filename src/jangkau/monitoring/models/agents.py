"""Probe agents: the boxes in the villages that run probes and upload results."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: bytes of randomness in a token (256 bits; ``secrets.token_urlsafe`` gives 43 characters).
TOKEN_BYTES = 32


def hash_token(token: str) -> str:
    """SHA-256 hex digest of a token; only this is stored.

    A plain (unsalted, fast) hash is enough because the token is 256 random bits: there is
    nothing to guess or look up in a table, unlike a password.
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Agent(models.Model):
    """One probe agent (``jangkau agent`` on a small box), identified by its bearer token.

    The token is generated once (:meth:`issue_token`), shown once, and stored only as its
    SHA-256 hash; ``token_prefix`` keeps its first characters so an operator can tell tokens
    apart. A revoked agent (``revoked_at`` set) is refused with 401. ``last_seen``,
    ``last_backlog`` (results still queued on the box) and ``version`` are updated by every
    request the agent makes.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    village = models.ForeignKey(
        "regions.Village",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="probe_agents",
        verbose_name=_("village"),
        help_text=_("Where the box is installed (optional)."),
    )
    token_hash = models.CharField(_("token hash (SHA-256)"), max_length=64, unique=True)
    token_prefix = models.CharField(_("token prefix"), max_length=8, blank=True, default="")
    created = models.DateTimeField(_("created"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), null=True, blank=True)
    last_backlog = models.PositiveIntegerField(_("results queued on the agent"), null=True)
    last_address = models.CharField(_("last address"), max_length=64, blank=True, default="")
    version = models.CharField(_("agent version"), max_length=40, blank=True, default="")
    accepted_total = models.PositiveBigIntegerField(_("results accepted"), default=0)
    rejected_total = models.PositiveBigIntegerField(_("results rejected"), default=0)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, default="")

    class Meta:
        ordering = ["name"]
        verbose_name = _("probe agent")
        verbose_name_plural = _("probe agents")
        constraints = [
            models.CheckConstraint(
                name="monitoring_agent_token_hash_hex",
                condition=models.Q(token_hash__regex=r"^[0-9a-f]{64}$"),
                violation_error_message=_("The token hash must be a SHA-256 hex digest."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        """True unless the token has been revoked."""
        return self.revoked_at is None

    def issue_token(self) -> str:
        """Generate a new token, store its hash (not saved yet) and return it in clear.

        The old token, if any, stops working once the agent is saved. The clear token is
        returned exactly once: show it to the operator and forget it.
        """
        token = secrets.token_urlsafe(TOKEN_BYTES)
        self.token_hash = hash_token(token)
        self.token_prefix = token[:8]
        self.revoked_at = None
        return token

    def token_matches(self, token: str) -> bool:
        """Constant-time comparison of ``token`` with the stored hash."""
        return hmac.compare_digest(self.token_hash, hash_token(token))

    def revoke(self, at=None) -> None:
        """Refuse this agent's token from now on (saved)."""
        self.revoked_at = at or timezone.now()
        self.save(update_fields=["revoked_at"])
