"""The unread-notification count for the bell in the top bar."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import Notification


def notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def unread() -> int:  # counted only when a template shows it
        return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()

    return {"unread_notifications": unread}
