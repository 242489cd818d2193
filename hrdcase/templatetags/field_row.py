"""``{{ field|field_row }}``: a form field laid out as the design system lays it out (label,
widget, help, errors), drawn in Python (``hrdcase.form_renderer.render_field_row``). A
template builtin (settings ``TEMPLATES``): every form template uses it, without ``load``."""

from django import template

from hrdcase.form_renderer import render_field_row

register = template.Library()
register.filter("field_row", render_field_row)
