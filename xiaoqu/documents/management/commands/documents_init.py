"""`xiaoqu documents-init`: write the default template of every kind of document that has none
yet (otherwise each is written when first needed). Safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from xiaoqu.documents.kinds import KINDS
from xiaoqu.documents.services import templates_init


class Command(BaseCommand):
    help = "Write the default templates of the enforcement documents that have none yet."

    def handle(self, *args: Any, **options: Any) -> None:
        created = templates_init()
        for template in created:
            self.stdout.write(
                _("Default template written: %(title)s (%(path)s)")
                % {"title": KINDS[template.kind].title, "path": template.file.path}
            )
        self.stdout.write(
            _("%(n)d default templates written; the other kinds already had a template.")
            % {"n": len(created)}
        )
