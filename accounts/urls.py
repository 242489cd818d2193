from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("verify/", views.verify, name="verify"),
    path("two-factor/", views.enrol, name="enrol"),
    path("profile/", views.profile, name="profile"),
    path("language/", views.set_language, name="set_language"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("organisation/", views.organisation_settings, name="organisation"),
    path("users/", views.users, name="users"),
    path("users/<uuid:pk>/", views.user_edit, name="user_edit"),
]
