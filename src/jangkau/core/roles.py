"""Create the role groups (idempotent)."""

from django.contrib.auth.models import Group

from jangkau.core.choices import RoleChoices


def ensure_role_groups() -> int:
    """Make sure a group exists for every role; return how many were created."""
    created = 0
    for role in RoleChoices:
        _, was_created = Group.objects.get_or_create(name=role.value)
        created += int(was_created)
    return created
