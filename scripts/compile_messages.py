"""Compile the .po catalogs into .mo files with polib (no GNU gettext needed at run time)."""

from __future__ import annotations

from pathlib import Path

import polib  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    for po_path in sorted((ROOT / "xiaoqu" / "locale").glob("*/LC_MESSAGES/*.po")):
        po = polib.pofile(str(po_path))
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"compiled {po_path.relative_to(ROOT)}: {len(po.translated_entries())} messages")


if __name__ == "__main__":
    main()
