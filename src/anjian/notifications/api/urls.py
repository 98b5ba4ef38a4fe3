from django.urls import path
from rest_framework.routers import SimpleRouter

from anjian.notifications.api import views

router = SimpleRouter(use_regex_path=False)
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("notification-channels", views.ChannelViewSet, basename="notification-channel")

urlpatterns = [
    path("notification-preferences/", views.PreferenceView.as_view(), name="notification-preferences"),
    *router.urls,
]
