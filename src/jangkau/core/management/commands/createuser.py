"""``jangkau createuser NAME --role ROLE [--village CODE ...]``: first-setup user creation."""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jangkau.core.choices import RoleChoices
from jangkau.core.roles import ensure_role_groups


class Command(BaseCommand):
    help = (
        "Create (or update) a user with a role. The password comes from a prompt or from "
        "the environment variable named by --password-env."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r.value for r in RoleChoices])
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--village",
            action="append",
            default=[],
            help="village code a village operator works for (repeatable)",
        )
        parser.add_argument(
            "--password-env", default="", help="read the password from this environment variable"
        )

    def handle(self, *args, **options):
        from jangkau.regions.models import Village, VillageOperatorAssignment

        role = options["role"]
        villages = []
        for code in options["village"]:
            village = Village.objects.filter(code=code).first()
            if village is None:
                raise CommandError(f"village code {code!r} does not exist")
            villages.append(village)
        if role == RoleChoices.VILLAGE_OPERATOR and not villages:
            raise CommandError("a village operator needs at least one --village CODE")
        if options["password_env"]:
            password = os.environ.get(options["password_env"])
            if not password:
                raise CommandError(f"environment variable {options['password_env']} is empty")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("passwords differ")
        if len(password) < 8:
            raise CommandError("password must have at least 8 characters")
        User = get_user_model()
        with transaction.atomic():
            ensure_role_groups()
            user, created = User.objects.get_or_create(username=options["username"])
            user.email = options["email"] or user.email
            user.set_password(password)
            user.is_staff = role in {RoleChoices.ADMIN, RoleChoices.PLANNER}
            user.is_superuser = role == RoleChoices.ADMIN
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            for village in villages:
                VillageOperatorAssignment.objects.get_or_create(user=user, village=village)
        verb = "created" if created else "updated"
        self.stdout.write(f"user {user.username} {verb} with role {role}")
