"""``{% route "name" %}``: ``{% url "name" %}`` for a route without parameters, reversed once
(``hrdcase.links.route_url``). The base layout draws about ten on every page."""

from django import template

from hrdcase.links import route_url

register = template.Library()


@register.simple_tag
def route(viewname: str) -> str:
    return route_url(viewname)
