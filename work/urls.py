from django.urls import path

from work.views import calendar, feed

app_name = "work"

urlpatterns = [
    path("calendar/", calendar.month, name="calendar"),
    path("calendar/agenda/", calendar.agenda, name="agenda"),
    path("calendar/feed/new/", calendar.feed_create, name="feed_create"),
    path("calendar/feed/revoke/", calendar.feed_revoke, name="feed_revoke"),
    # no sign-in: the token is the secret (work.selectors.feed.feed_for_token)
    path("calendar/feed/<str:token>.ics", feed.feed, name="feed"),
]
