from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoqu.accounts.choices import Role

from .models import Attachment, Notification
from .services import audit_verify


def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Serve an attachment to a user who may see the record it belongs to."""
    try:
        item = Attachment.objects.select_related("record_type").get(pk=pk)
    except Attachment.DoesNotExist as exc:
        raise Http404 from exc
    model = ContentType.objects.get_for_id(item.record_type_id).model_class()
    if model is None or not model.objects.restrict(request.user).filter(pk=item.record_id).exists():  # type: ignore[attr-defined]
        raise Http404
    return FileResponse(
        item.file.open("rb"),
        filename=item.name,
        content_type=item.content_type,
        as_attachment=not item.is_image,
    )


# ---------------------------------------------------------------------------------------------
# Notifications: each user reads only his own.


def _mine(request: HttpRequest) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=request.user.pk)


def notifications(request: HttpRequest) -> HttpResponse:
    qs = _mine(request)
    show = request.GET.get("show", "unread")
    if show != "all":
        show = "unread"
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/notifications.html",
        {
            "title": _("Notifications"),
            "page": page,
            "show": show,
            "unread": _mine(request).filter(read_at__isnull=True).count(),
        },
    )


def _safe(request: HttpRequest, url: str) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a notification read and go to the record it is about."""
    item = get_object_or_404(_mine(request), pk=pk)
    if item.read_at is None:
        _mine(request).filter(pk=pk, read_at__isnull=True).update(read_at=timezone.now())
    target = item.link if _safe(request, item.link) else reverse("audit:notifications")
    return HttpResponseRedirect(target)


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark one (`pk`) or every unread notification read."""
    qs = _mine(request).filter(read_at__isnull=True)
    pk = request.POST.get("pk")
    if pk:
        qs = qs.filter(pk=pk if pk.isdigit() else 0)
    qs.update(read_at=timezone.now())
    target = request.POST.get("next", "")
    return HttpResponseRedirect(
        target if _safe(request, target) else reverse("audit:notifications")
    )


# ---------------------------------------------------------------------------------------------
# The integrity of the event log


AUDIT_ROLES = frozenset({Role.ADMIN, Role.LEADER})


def integrity(request: HttpRequest) -> HttpResponse:
    """Bureau leaders and administrators check every hash chain of the event log."""
    user: Any = request.user
    if not (user.is_superuser or user.role in AUDIT_ROLES):
        raise PermissionDenied
    result = None
    if request.method == "POST":
        records, events, problems = audit_verify()
        result = {"records": records, "events": events, "problems": problems}
    return render(
        request, "audit/integrity.html", {"title": _("Event log integrity"), "result": result}
    )
