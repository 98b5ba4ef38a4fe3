from django.urls import path

from anjian.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("<int:pk>/open/", views.OpenView.as_view(), name="open"),
    path("<int:pk>/read/", views.ReadView.as_view(), name="read"),
    path("read-all/", views.ReadAllView.as_view(), name="read-all"),
    path("preferences/", views.PreferenceView.as_view(), name="preferences"),
    path("channels/", views.ChannelListView.as_view(), name="channels"),
    path("channels/new/", views.ChannelCreateView.as_view(), name="channel-create"),
    path("channels/<int:pk>/edit/", views.ChannelEditView.as_view(), name="channel-edit"),
    path("channels/<int:pk>/deactivate/", views.ChannelSetActiveView.as_view(active=False), name="channel-deactivate"),
    path("channels/<int:pk>/reactivate/", views.ChannelSetActiveView.as_view(active=True), name="channel-reactivate"),
    path("escalation/", views.EscalationView.as_view(), name="escalation"),
]
