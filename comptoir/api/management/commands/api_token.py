from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from comptoir.api.models import ApiToken


class Command(BaseCommand):
    help = "Issue a personal API token for a person (printed once, stored only as a hash), or revoke one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the person the token acts as")
        parser.add_argument("--name", default="integration", help="what the token is for (CRM, HR system, BI...)")
        parser.add_argument("--revoke", metavar="PREFIX", help="revoke this person's token with this prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        from comptoir.org.models import User

        user = User.objects.filter(email__iexact=options["email"].strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active person with the e-mail {options['email']}.")
        if options["revoke"]:
            revoked = ApiToken.objects.filter(user=user, prefix=options["revoke"], revoked=False).update(revoked=True)
            if not revoked:
                raise CommandError(f"No live token with prefix {options['revoke']} for {user.email}.")
            self.stdout.write(f"Token {options['revoke']}… revoked.")
            return
        _token, raw = ApiToken.issue(user=user, name=options["name"])
        self.stdout.write(raw)
