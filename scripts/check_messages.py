"""The zh-Hans catalog is complete and compiled.

1. every message of the committed .po is translated, none fuzzy;
2. the committed .mo holds exactly the .po's translations (run `make messages` after editing);
3. where GNU xgettext is installed, `makemessages` over a copy of the source finds no message
   missing from the committed .po.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "xiaoqu" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def fail(message: str, items: list[str]) -> None:
    print(f"!! {message}")
    for item in items[:40]:
        print(f"   {item!r}")
    if len(items) > 40:
        print(f"   … and {len(items) - 40} more")
    sys.exit(1)


def key(entry: polib.POEntry | polib.MOEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def main() -> None:
    if not PO.exists():
        fail("missing catalog", [str(PO)])
    po = polib.pofile(str(PO))
    untranslated = [e.msgid for e in po.untranslated_entries() if not e.obsolete]
    if untranslated:
        fail("untranslated messages in django.po", untranslated)
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    if fuzzy:
        fail("fuzzy messages in django.po", fuzzy)

    mo = polib.mofile(str(PO.with_suffix(".mo")))
    po_map = {
        key(e): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in po.translated_entries()
    }
    mo_map = {key(e): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo if e.msgid}
    stale = sorted(
        {k[1] for k in po_map.keys() ^ mo_map.keys()}
        | {k[1] for k in po_map if k in mo_map and po_map[k] != mo_map[k]}
    )
    if stale:
        fail("django.mo is not compiled from django.po (run `make messages`)", stale)

    if shutil.which("xgettext") is None:
        print("xgettext not installed: skipped the check for messages missing from django.po")
        print(f"catalog complete: {len(po_map)} messages")
        return
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "xiaoqu"
        shutil.copytree(
            ROOT / "xiaoqu",
            copy,
            ignore=shutil.ignore_patterns("vendor", "__pycache__", "*.mo", "tests"),
        )
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "xiaoqu.settings"}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "django",
                "makemessages",
                "-l",
                "zh_Hans",
                "--no-location",
                "--no-obsolete",
            ],
            cwd=copy,
            env=env,
            check=True,
            capture_output=True,
        )
        fresh = polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
        known = {key(e) for e in po if not e.obsolete}
        missing = sorted(e.msgid for e in fresh if key(e) not in known)
        if missing:
            fail(
                "messages in the code but missing from django.po (run `make messages`; translate)",
                missing,
            )
    print(f"catalog complete: {len(po_map)} messages")


if __name__ == "__main__":
    main()
