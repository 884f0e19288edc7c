from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("complaints/", views.ComplaintListView.as_view(), name="complaint_list"),
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/estates/", views.estate_search, name="estate_search"),
    path("complaints/<int:pk>/", views.ComplaintDetailView.as_view(), name="complaint_detail"),
    path("complaints/<int:pk>/reply/", views.complaint_reply, name="complaint_reply"),
    path("complaints/<int:pk>/reveal/", views.complaint_reveal, name="complaint_reveal"),
    path("dispatch/", views.dispatch_inbox, name="dispatch_inbox"),
    path("dispatch/selected/", views.leads_dispatch_bulk, name="leads_dispatch_bulk"),
    path("dispatch/<int:pk>/", views.lead_dispatch_one, name="lead_dispatch_one"),
    path("leads/", views.LeadListView.as_view(), name="lead_list"),
    path("leads/<int:pk>/", views.LeadDetailView.as_view(), name="lead_detail"),
    path("leads/<int:pk>/<slug:move>/", views.lead_action, name="lead_action"),
    path("todo/", views.todo, name="todo"),
]
