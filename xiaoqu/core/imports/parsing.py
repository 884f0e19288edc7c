"""Turning spreadsheet cells into values, with errors users can act on.

A parser takes the raw cell (whatever openpyxl or the CSV reader gave: str, int, float,
bool, datetime) and returns a value or raises `FieldError` with a stable code and a reason
written as an English source string (translated to Chinese by the central catalogue).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

# Separators of list cells: 、 , ， ; ； and line breaks.
LIST_SEPARATORS = re.compile(r"[、,，;；\r\n]+")
_SPACES = re.compile(r"[\s\u3000\xa0]+")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")

TRUE_WORDS = frozenset({"是", "√", "✓", "✔", "y", "yes", "true", "t", "1", "对", "有"})
FALSE_WORDS = frozenset({"否", "×", "✗", "n", "no", "false", "f", "0", "不是", "无"})


class FieldError(Exception):
    """A cell that cannot be read: `code` is stable, `message` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def cell_text(value: Any) -> str:
    """The text of a cell as the user sees it, trimmed; '' for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).replace("\ufeff", "").strip(" \t\r\n\u3000\xa0")


def is_empty(value: Any) -> bool:
    return cell_text(value) == ""


def squeeze(text: str) -> str:
    """Text with every run of white space removed (for codes and numbers)."""
    return _SPACES.sub("", text)


def _number_text(value: Any) -> str:
    # Full-width digits and signs (１２３) become ASCII; thousands separators go away.
    text = unicodedata.normalize("NFKC", cell_text(value))
    return squeeze(text).replace(",", "")


def parse_text(value: Any, *, max_length: int | None = None) -> str:
    text = cell_text(value)
    if max_length is not None and len(text) > max_length:
        raise FieldError(
            "too_long",
            _("Too long: at most %(max)d characters, this value has %(n)d.")
            % {"max": max_length, "n": len(text)},
        )
    return text


def parse_int(value: Any, *, minimum: int, maximum: int) -> int:
    if isinstance(value, bool):
        raise FieldError(
            "invalid_integer", _("“%(value)s” is not a whole number.") % {"value": cell_text(value)}
        )
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = _number_text(value)
        if text.endswith(".0"):
            text = text[:-2]
        if not _INTEGER.match(text):
            raise FieldError(
                "invalid_integer",
                _("“%(value)s” is not a whole number.") % {"value": cell_text(value)},
            )
        number = int(text)
    if not minimum <= number <= maximum:
        raise FieldError(
            "out_of_range",
            _("%(value)s is out of range: allowed are %(minimum)s to %(maximum)s.")
            % {"value": number, "minimum": minimum, "maximum": maximum},
        )
    return number


def parse_decimal(value: Any, *, minimum: Decimal, maximum: Decimal, places: int) -> Decimal:
    if isinstance(value, bool):
        raise FieldError(
            "invalid_number", _("“%(value)s” is not a number.") % {"value": cell_text(value)}
        )
    text = repr(value) if isinstance(value, float) else _number_text(value)
    if not _DECIMAL.match(text):
        raise FieldError(
            "invalid_number", _("“%(value)s” is not a number.") % {"value": cell_text(value)}
        )
    try:
        number = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above rules this out
        raise FieldError(
            "invalid_number", _("“%(value)s” is not a number.") % {"value": text}
        ) from exc
    if not minimum <= number <= maximum:
        raise FieldError(
            "out_of_range",
            _("%(value)s is out of range: allowed are %(minimum)s to %(maximum)s.")
            % {"value": text, "minimum": minimum, "maximum": maximum},
        )
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _number_text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise FieldError(
        "invalid_boolean",
        _("“%(value)s” is neither yes nor no (是/否).") % {"value": cell_text(value)},
    )


def split_list(value: Any, *, max_length: int | None = None) -> list[str]:
    """The items of a list cell separated by 、 , ， ; ； or line breaks, without repeats."""
    items: list[str] = []
    for part in LIST_SEPARATORS.split(cell_text(value)):
        item = part.strip(" \t\u3000\xa0")
        if not item or item in items:
            continue
        if max_length is not None and len(item) > max_length:
            raise FieldError(
                "too_long",
                _("Too long: at most %(max)d characters, “%(item)s” has %(n)d.")
                % {"max": max_length, "item": item, "n": len(item)},
            )
        items.append(item)
    return items


def text_parser(max_length: int) -> Callable[[Any], str]:
    return lambda value: parse_text(value, max_length=max_length)


def int_parser(minimum: int, maximum: int) -> Callable[[Any], int]:
    return lambda value: parse_int(value, minimum=minimum, maximum=maximum)


def decimal_parser(minimum: str, maximum: str, places: int) -> Callable[[Any], Decimal]:
    low, high = Decimal(minimum), Decimal(maximum)
    return lambda value: parse_decimal(value, minimum=low, maximum=high, places=places)
