"""``{% timeline_items %}`` (cases/templatetags/timeline.py) and the formatted moments it
shows (hrdcase.localize): the markup of an item, escaped, in the viewer's language and zone."""

import datetime
import zoneinfo

from django.template import engines
from django.utils import timezone, translation

from cases.registries.timeline import Tag, TimelineItem
from hrdcase.localize import local_date, local_datetime

AT = datetime.datetime(2026, 3, 4, 13, 5, tzinfo=datetime.UTC)


def _draw(items) -> str:
    return (
        engines["django"]
        .from_string("{% load timeline %}{% timeline_items items %}")
        .render({"items": items})
    )


def test_an_item_is_drawn_with_its_link_tags_byline_and_detail_escaped():
    item = TimelineItem(
        at=AT,
        kind="entry",
        title="Prison <visit>",
        url="/logbooks/entries/1/",
        tags=(Tag("shared", "tag shared"), Tag("version 2")),
        byline="Embassy & co · Ana",
        detail='"Met" the <lawyer>',
    )
    with translation.override("en"), timezone.override(datetime.UTC):
        html = _draw([item, TimelineItem(at=AT, kind="check_in", title="Checked in")])
    assert html == (
        '\n<li class="timeline-item timeline-entry">\n'
        '  <time datetime="2026-03-04T13:05:00+00:00">4 Mar 2026, 13:05</time>\n'
        '  <p><a href="/logbooks/entries/1/">Prison &lt;visit&gt;</a>'
        ' <span class="tag shared">shared</span> <span class="tag">version 2</span>'
        ' <span class="muted" dir="auto">Embassy &amp; co · Ana</span></p>\n'
        '  <p class="muted" dir="auto">&quot;Met&quot; the &lt;lawyer&gt;</p>\n'
        "</li>\n"
        '\n<li class="timeline-item timeline-check_in">\n'
        '  <time datetime="2026-03-04T13:05:00+00:00">4 Mar 2026, 13:05</time>\n'
        "  <p>Checked in</p>\n"
        "  \n"
        "</li>\n"
        "\n"
    )


def test_a_moment_reads_in_the_viewers_zone_and_language_each_time():
    """Kept per language and zone: the same instant in two zones is two times, never the
    first one asked for (aware datetimes of one instant compare equal)."""
    bogota, tokyo = zoneinfo.ZoneInfo("America/Bogota"), zoneinfo.ZoneInfo("Asia/Tokyo")
    with translation.override("en"):
        with timezone.override(bogota):
            assert local_datetime(AT) == "4 Mar 2026, 08:05"
        with timezone.override(tokyo):
            assert local_datetime(AT) == "4 Mar 2026, 22:05"
        assert local_date(AT.date()) == "4 Mar 2026"
    with translation.override("fr"), timezone.override(tokyo):
        assert local_datetime(AT) == "4 mars 2026, 22:05"
        assert local_date(AT.date()) == "4 mars 2026"


def test_an_event_known_by_its_day_shows_the_day_without_a_midnight():
    """An incident or a hearing dated 4 March read "4 Mar 2026, 00:00", as if it had
    happened at midnight."""
    day = TimelineItem(at=AT.date(), kind="incident", title="Arrested at the march")
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("America/Bogota")):
        html = _draw([day])
    assert '<time datetime="2026-03-04">4 Mar 2026</time>' in html
    assert day.moment == datetime.datetime(2026, 3, 4, tzinfo=datetime.UTC)  # sorts at its start
