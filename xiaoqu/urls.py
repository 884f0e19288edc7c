from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from xiaoqu.accounts.views_password import PasswordChangeView
from xiaoqu.core import home
from xiaoqu.core.api import register as register_api

api = register_api()


def _api_urls() -> tuple[list, str, str]:
    # The API answers 401 itself (JSON), instead of LoginRequiredMiddleware's redirect.
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = login_not_required(pattern.callback)
    return patterns, app_name, namespace


urlpatterns = [
    path("api/v1/", _api_urls()),
    path("", home.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", PasswordChangeView.as_view(), name="password_change"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("", include("xiaoqu.core.urls")),
    path("", include("xiaoqu.accounts.urls")),
    path("", include("xiaoqu.regions.urls")),
    path("", include("xiaoqu.departments.urls")),
    path("", include("xiaoqu.estates.urls")),
    path("law/", include("xiaoqu.law.urls")),
    path("", include("xiaoqu.intake.urls")),
    path("", include("xiaoqu.triage.urls")),
    path("", include("xiaoqu.cases.urls")),
    path("credit/", include("xiaoqu.credit.urls")),
    path("", include("xiaoqu.referrals.urls")),
    path("", include("xiaoqu.supervision.urls")),
    path("", include("xiaoqu.audit.urls")),
    path("", include("xiaoqu.documents.urls")),
    path("patrols/", include("xiaoqu.patrols.urls")),
    path("studios/", include("xiaoqu.studios.urls")),
    path("renovations/", include("xiaoqu.renovations.urls")),
    path("analytics/", include("xiaoqu.analytics.urls")),
    path("oversight/", include("xiaoqu.oversight.urls")),
    path("assessment/", include("xiaoqu.assessment.urls")),
    path("meetings/", include("xiaoqu.meetings.urls")),
    path("clinics/", include("xiaoqu.clinics.urls")),
    path("outreach/", include("xiaoqu.outreach.urls")),
    path("exemplary/", include("xiaoqu.exemplary.urls")),
]
urlpatterns += (
    static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) if settings.DEBUG else []
)
