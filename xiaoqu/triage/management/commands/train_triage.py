"""`xiaoqu train-triage [--activate if_better|always|never] [--no-corrections] [--user NAME]`:
train the triage classifier on the shipped corpus and the dispatchers' corrections, print
its figures on the test split, and put it in use when it is not worse than the model in use."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from xiaoqu.triage.training import ACTIVATE_CHOICES, train


class Command(BaseCommand):
    help = _(
        "Train the triage classifier on the corpus and the corrections, report its figures "
        "on the test split and activate it when it is not worse than the model in use."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--activate",
            choices=ACTIVATE_CHOICES,
            default="if_better",
            help=_(
                "if_better (default): use the new model unless its macro-F1 is lower; "
                "always; never."
            ),
        )
        parser.add_argument(
            "--no-corrections",
            action="store_true",
            help=_("Train on the corpus only, without the dispatchers' corrections."),
        )
        parser.add_argument("--user", help=_("Username recorded as who trained the model."))

    def handle(self, *args: Any, **options: Any) -> None:
        from xiaoqu.accounts.models import User

        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(_("No user “%(name)s”.") % {"name": options["user"]})
        train(
            corrections=not options["no_corrections"],
            activate=options["activate"],
            actor=actor,
            stdout=self.stdout,
        )
