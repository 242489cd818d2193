"""Main-menu entries registered by the feature apps (``AppConfig.ready``), so the base layout
and ``accounts`` never import them:

    from hrdcase.navigation import register_nav_item

    register_nav_item("logbooks:inbox", _("Updates"), order=30, when=lambda user: ...)

``when(user)`` decides visibility from the user row alone (role, organisation kind): the
menu is drawn on every page and must cost no query. ``badge(user)`` may cost one query
(an unread count) and is shown next to the label when it returns a positive number; it may
stop counting at ``BADGE_CAP``, which the menu shows as "99+".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.core.cache import caches
from django.db import transaction
from django.utils.functional import Promise

from hrdcase.links import route_url

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

#: the signed-in user (``settings.AUTH_USER_MODEL``): each app's checks take that class, which
#: the core never names.
UserT = TypeVar("UserT", bound="AbstractBaseUser")


@dataclass(frozen=True)
class NavItem(Generic[UserT]):
    url_name: str
    label: str | Promise
    order: int = 50
    when: Callable[[UserT], bool] | None = None
    badge: Callable[[UserT], int] | None = None
    #: a stable id for the badge element, so htmx can refresh it without reloading the page.
    badge_id: str = ""
    #: URL name of an endpoint returning the badge element again: polled every 30 s by htmx.
    badge_url_name: str = ""


_items: dict[str, NavItem[Any]] = {}

#: a badge count from which the menu shows "99+" (a count may stop there: it is all we show).
BADGE_CAP = 100
#: a badge's count is kept this long in the "badges" cache (the menu is on every page); the
#: app that counts it forgets it when what it counts changes (``forget_badge_counts``).
BADGE_SECONDS = 30


def kept_badge_count(key: str, count: Callable[[], int]) -> int:
    """A badge's count under ``key``: kept, or ``count()`` and kept."""
    return int(caches["badges"].get_or_set(key, count, BADGE_SECONDS) or 0)


def forget_badge_counts(keys: list[str]) -> None:
    """These badges are counted again on their next page, once the current transaction
    commits (a page counting before the commit would keep the old figure)."""
    if keys:
        transaction.on_commit(lambda: caches["badges"].delete_many(keys))


def badge_text(count: int) -> str:
    if count <= 0:
        return ""
    return "99+" if count >= BADGE_CAP else str(count)


def register_nav_item(
    url_name: str,
    label: str | Promise,
    *,
    order: int = 50,
    when: Callable[[UserT], bool] | None = None,
    badge: Callable[[UserT], int] | None = None,
    badge_id: str = "",
    badge_url_name: str = "",
) -> None:
    """Register (or replace, on autoreload) the menu entry pointing at ``url_name``."""
    _items[url_name] = NavItem(url_name, label, order, when, badge, badge_id, badge_url_name)


def nav_items_for(user: AbstractBaseUser) -> list[dict[str, Any]]:
    entries = []
    for item in sorted(_items.values(), key=lambda i: (i.order, i.url_name)):
        if item.when is not None and not item.when(user):
            continue
        entries.append(
            {
                "url": route_url(item.url_name),
                "label": item.label,
                "badge": badge_text(item.badge(user)) if item.badge else "",
                "badge_id": item.badge_id,
                "badge_url": route_url(item.badge_url_name) if item.badge_url_name else "",
            }
        )
    return entries


@contextmanager
def override(*items: NavItem[Any]) -> Iterator[None]:
    """For tests: the menu holds exactly ``items`` inside the block, and what the apps
    registered again after it (instead of monkeypatching the registry)."""
    registered = dict(_items)
    _items.clear()
    _items.update((item.url_name, item) for item in items)
    try:
        yield
    finally:
        _items.clear()
        _items.update(registered)
