"""Widgets of the case pages that are drawn on every request.

``FastSelect`` renders a ``<select>`` in Python instead of through one template per
``<option>``: the case list's filter form has a country list of ~250 options, and Django's
template renderer spent ~16 ms per request on it. The markup is the one of Django's
``django/forms/widgets/select.html`` and ``select_option.html`` (same attributes, same
escaping, same whitespace).
"""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    # django/forms/widgets/attrs.html: False is left out, True is a bare attribute.
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


class FastSelectMixin:
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        out = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                out.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in group_choices:
                out.append(
                    '\n  <option value="{}"{}>{}</option>\n'.format(
                        conditional_escape(str(option["value"])),
                        _attrs(option["attrs"]),
                        conditional_escape(option["label"]),
                    )
                )
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))  # noqa: S308 (every name, value and label is escaped above)


class FastSelect(FastSelectMixin, forms.Select):
    pass
