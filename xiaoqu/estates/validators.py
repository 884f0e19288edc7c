"""Unified social credit code (统一社会信用代码), GB 32100-2015."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(body: str) -> str:
    """The 18th character for the first 17 characters of a code."""
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Why `code` is not a valid unified social credit code, or None when it is."""
    if len(code) != 18:
        return str(
            _("A unified social credit code has 18 characters, this one has %(n)d.")
            % {"n": len(code)}
        )
    bad = sorted({c for c in code if c not in USCC_CHARSET})
    if bad:
        return str(
            _("Characters not allowed in a unified social credit code: %(chars)s.")
            % {"chars": "".join(bad)}
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return str(
            _("Wrong check character: the last character should be %(c)s.") % {"c": expected}
        )
    return None


def validate_uscc(value: str) -> None:
    problem = uscc_problem(value)
    if problem:
        raise ValidationError(problem, code="uscc")


def normalize_uscc(value: str) -> str:
    return value.strip().upper().replace(" ", "")
