"""Home at the site's root, under the URL name ``home`` outside any namespace: the login
redirect (``LOGIN_REDIRECT_URL``) and every page's brand link reverse it."""

from django.urls import path

from work.views import home

urlpatterns = [
    path("", home.home, name="home"),
]
