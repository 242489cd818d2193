"""The form renderer: Django's Jinja2 copies of its widget templates, the Django-template
ones for widgets that have no Jinja2 copy (the admin's, ``contrib.auth``'s, third parties').

Through the Django template engine a widget costs one template per widget, per attribute
list and per ``<option>``: a form of eight fields took ~6 ms of the case page. The Jinja2
templates draw the same markup (less blank lines) several times faster. Pages stay Django
templates; only ``{{ field }}`` goes through here.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FastFormRenderer(Jinja2):
    def __init__(self) -> None:
        super().__init__()
        self.fallback = DjangoTemplates()

    def get_template(self, template_name: str) -> Any:
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
