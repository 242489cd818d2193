"""``{{ field|field_row }}``: a form field laid out as ``templates/field.html`` does (the
template calls it), drawn in Python (``hrdcase.form_renderer.render_field_row``)."""

from django import template

from hrdcase.form_renderer import render_field_row

register = template.Library()
register.filter("field_row", render_field_row)
