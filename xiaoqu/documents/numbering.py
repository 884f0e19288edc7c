"""How the bureau numbers its documents: 普城管罚字〔2026〕第0001号.

The number is data printed on an official document, not interface text: it is the same in
every interface language. Free of other apps' imports so that any app may use it."""

from __future__ import annotations

from django.conf import settings


def document_number_format(*, word: str, year: int, value: int, prefix: str | None = None) -> str:
    """The bureau's prefix, the kind's word, the year in 〔〕 and the 4-digit sequence value."""
    head = settings.XIAOQU_DOCUMENT_PREFIX if prefix is None else prefix
    return f"{head}{word}字〔{year}〕第{value:04d}号"
