from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="meeting_list"),
    path("add/", views.meeting_add, name="meeting_add"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/move/<slug:move>/", views.meeting_move, name="meeting_move"),
    path("<int:pk>/agenda/add/", views.agenda_add, name="agenda_add"),
    path("agenda/<int:pk>/<slug:action>/", views.agenda_item_action, name="agenda_item_action"),
    path("<int:pk>/minutes/", views.minutes_edit, name="minutes_edit"),
    path("<int:pk>/decisions/add/", views.decision_add, name="decision_add"),
    path("<int:pk>/record.docx", views.meeting_record_docx, name="meeting_docx"),
    path("action-items/", views.ActionItemListView.as_view(), name="action_item_list"),
    path("action-items/ours/", views.OurActionItemListView.as_view(), name="our_action_items"),
    path("action-items/<int:pk>/", views.action_item_detail, name="action_item_detail"),
    path(
        "action-items/<int:pk>/move/<slug:move>/",
        views.action_item_move,
        name="action_item_move",
    ),
]
