"""Who may do what: the one place where roles are turned into permissions.

Every form, view and API write asks :func:`can` (or :func:`require`). Roles are Django groups
named after :class:`~jangkau.core.choices.RoleChoices`; superusers hold every role. A village
operator's writes are limited to the villages assigned to them
(:class:`jangkau.regions.models.VillageOperatorAssignment`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from jangkau.core.choices import RoleChoices as R

#: action -> roles allowed. Actions are "<domain>.<verb>".
RULES: dict[str, frozenset[str]] = {
    "regions.import": frozenset({R.ADMIN, R.PLANNER}),
    "regions.change": frozenset({R.ADMIN, R.PLANNER}),
    "regions.population.add": frozenset({R.ADMIN, R.PLANNER}),
    "evidence.add": frozenset({R.ADMIN, R.PLANNER, R.NETWORK_OPERATOR, R.VILLAGE_OPERATOR}),
    "evidence.change": frozenset({R.ADMIN, R.PLANNER, R.NETWORK_OPERATOR}),
    "evidence.recompute": frozenset({R.ADMIN, R.PLANNER}),
    "users.manage": frozenset({R.ADMIN}),
    "reports.moderate": frozenset({R.ADMIN, R.PLANNER, R.VILLAGE_OPERATOR}),
    "inventory.change": frozenset({R.ADMIN, R.PLANNER, R.NETWORK_OPERATOR}),
    "monitoring.agents.view": frozenset({R.ADMIN, R.PLANNER, R.NETWORK_OPERATOR}),
    "monitoring.rollup": frozenset({R.ADMIN, R.PLANNER}),
    "imports.run": frozenset({R.ADMIN, R.PLANNER}),
    "coverage.run": frozenset({R.ADMIN, R.PLANNER}),
    "coverage.propose": frozenset({R.ADMIN, R.PLANNER, R.NETWORK_OPERATOR}),
    "coverage.decide": frozenset({R.ADMIN, R.PLANNER}),
    "planning.view": frozenset(
        {R.ADMIN, R.PLANNER, R.NETWORK_OPERATOR, R.OPD_OPERATOR, R.VILLAGE_OPERATOR, R.VIEWER}
    ),
    "planning.run": frozenset({R.ADMIN, R.PLANNER}),
    "planning.costs.edit": frozenset({R.ADMIN, R.PLANNER}),
}

#: actions a village operator may take only on their own villages.
VILLAGE_SCOPED = frozenset({"evidence.add", "reports.moderate"})


def roles_of(user) -> set[str]:
    """The role names a user holds (empty for anonymous users)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return {choice.value for choice in R}
    cached = getattr(user, "_jangkau_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._jangkau_roles = cached
    return cached


def village_codes_of(user) -> set[str]:
    """Codes of the villages a village operator is assigned to."""
    if user is None or not user.is_authenticated:
        return set()
    from jangkau.regions.models import VillageOperatorAssignment

    return set(
        VillageOperatorAssignment.objects.filter(user=user).values_list("village__code", flat=True)
    )


def can(user, action: str, village_code: str | None = None) -> bool:
    """Whether ``user`` may perform ``action`` (on the village ``village_code`` if given)."""
    if action not in RULES:
        raise KeyError(f"unknown action {action!r}; add it to jangkau.core.permissions.RULES")
    roles = roles_of(user)
    allowed = RULES[action] & roles
    if not allowed:
        return False
    if action in VILLAGE_SCOPED and allowed == {R.VILLAGE_OPERATOR}:
        # Only the village-operator role grants this: the village must be theirs.
        return village_code is not None and village_code in village_codes_of(user)
    return True


def require(user, action: str, village_code: str | None = None) -> None:
    """Raise ``PermissionDenied`` unless :func:`can` allows the action."""
    if not can(user, action, village_code):
        raise PermissionDenied(f"not allowed: {action}")
