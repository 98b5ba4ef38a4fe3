from django.urls import path

from anjian.accounts import people_views as views

app_name = "people"

urlpatterns = [
    path("", views.UserListView.as_view(), name="user-list"),
    path("new/", views.UserCreateView.as_view(), name="user-create"),
    path("<int:pk>/", views.UserDetailView.as_view(), name="user-detail"),
    path("<int:pk>/edit/", views.UserUpdateView.as_view(), name="user-update"),
    path("<int:pk>/deactivate/", views.UserSetActiveView.as_view(active=False), name="user-deactivate"),
    path("<int:pk>/reactivate/", views.UserSetActiveView.as_view(active=True), name="user-reactivate"),
    path("<int:pk>/password/", views.UserPasswordResetView.as_view(), name="user-password-reset"),
    path("<int:pk>/unlock/", views.UserUnlockView.as_view(), name="user-unlock"),
]
