"""``jangkau agent-token NAME [--village CODE] [--revoke]``: issue or revoke an agent's token."""

from django.core.management.base import BaseCommand, CommandError

from jangkau.monitoring.models import Agent
from jangkau.monitoring.services.agents import issue_token
from jangkau.regions.models import Village


class Command(BaseCommand):
    help = (
        "Create a probe agent (or give it a new token) and print the token once; "
        "with --revoke, refuse the agent's token from now on."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="agent name (unique)")
        parser.add_argument("--village", help="Kemendagri code of the village the box is in")
        parser.add_argument("--revoke", action="store_true", help="revoke the agent's token")

    def handle(self, *args, name, village=None, revoke=False, **options):
        if revoke:
            agent = Agent.objects.filter(name=name).first()
            if agent is None:
                raise CommandError(f"no agent named {name!r}")
            if agent.revoked_at is not None:
                self.stdout.write(f"agent {name} was already revoked at {agent.revoked_at}")
                return
            agent.revoke()
            self.stdout.write(f"agent {name}: token revoked")
            return
        try:
            issued = issue_token(name, village)
        except Village.DoesNotExist:
            raise CommandError(f"no village with code {village!r}") from None
        what = "created" if issued.created else "new token issued (the old one no longer works)"
        self.stderr.write(f"agent {name}: {what}. The token is shown once; store it on the box:")
        self.stdout.write(issued.token)
