"""The JSON API (/api/v1/) with its OpenAPI document (/api/v1/openapi.json, docs at
/api/v1/docs). Session authentication, the same jurisdiction filter and the same services as
the pages: an endpoint is a thin layer over a service."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from xiaoqu.core.workflow import TransitionRefused

api = NinjaAPI(
    title="Xiaoqu API",
    version="1",
    description=(
        "Complaints, leads, referrals and assistance requests of the residential-estate "
        "violation governance platform. Every call runs as the signed-in user and sees only "
        "that user's jurisdiction; a move the rules do not allow answers 409 with the reason."
    ),
    auth=django_auth,
    urls_namespace="api",
    docs_decorator=login_required,
)


@api.exception_handler(TransitionRefused)
def _refused(request: HttpRequest, exc: TransitionRefused) -> HttpResponse:
    return api.create_response(request, {"detail": exc.reason}, status=409)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "；".join(str(m) for m in exc.messages), "errors": exc.messages},
        status=422,
    )


def register() -> Any:
    from xiaoqu.intake.api import router as intake_router
    from xiaoqu.referrals.api import router as referrals_router

    api.add_router("/", intake_router)
    api.add_router("/", referrals_router)
    api.add_router("/", "xiaoqu.cases.api.router")
    return api
