from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("referrals/inbox/", views.inbox, name="inbox"),
    path("referrals/", views.ReferralListView.as_view(), name="referral_list"),
    path("referrals/<int:pk>/", views.ReferralDetailView.as_view(), name="referral_detail"),
    path("referrals/<int:pk>/<slug:move>/", views.referral_move, name="referral_move"),
    path("assistance/", views.AssistanceListView.as_view(), name="assistance_list"),
    path("assistance/<int:pk>/", views.AssistanceDetailView.as_view(), name="assistance_detail"),
    path("assistance/<int:pk>/<slug:move>/", views.assistance_move, name="assistance_move"),
]
