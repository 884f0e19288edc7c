from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.http import FileResponse, Http404, HttpRequest

from .models import Attachment


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
