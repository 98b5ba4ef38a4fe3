from django.urls import path

from anjian.accounts import people_views as views

app_name = "people"

urlpatterns = [
    path("", views.UserListView.as_view(), name="user-list"),
]
