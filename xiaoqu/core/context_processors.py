from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .navigation import menu_for


def platform(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "nav_menu": menu_for(user, request.path)
        if user is not None and user.is_authenticated
        else [],
        "platform_debug": settings.DEBUG,
    }
