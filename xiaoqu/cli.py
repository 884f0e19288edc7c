"""The `xiaoqu` console command: Django's management commands under one name.

`xiaoqu import-estates FILE` runs the `import_estates` management command; hyphens and
underscores are interchangeable.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoqu.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["xiaoqu", *args])


if __name__ == "__main__":
    main()
