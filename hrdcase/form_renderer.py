"""The form renderer: the most common widgets (``<input>``, ``<textarea>``, ``<select>``)
drawn in Python with the markup of Django's templates; the others through Django's Jinja2
copies of its widget templates, or the Django-template ones for widgets that have no Jinja2
copy (the admin's, ``contrib.auth``'s, third parties').

Through the Django template engine a widget costs one template per widget, per attribute
list and per ``<option>``: a form of eight fields took ~6 ms of the case page. The Jinja2
templates draw the same markup (less blank lines) several times faster, and Python faster
still: the case page's Overview draws sixteen fields (docs/performance.md, session 11). Pages
stay Django templates; only ``{{ field }}`` goes through here, and a field's row
(``render_field_row``: the ``field_row`` template filter).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates, Jinja2
from django.forms.widgets import DateTimeBaseInput
from django.template import TemplateDoesNotExist
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _free_text(widget: forms.Widget) -> bool:
    """A widget where people type their own words (names, summaries): not dates, numbers,
    e-mail addresses or passwords, which read left to right in every language."""
    if isinstance(widget, forms.Textarea):
        return True
    return (
        isinstance(widget, forms.TextInput)
        and not isinstance(widget, DateTimeBaseInput)
        and widget.input_type in ("text", "search")
    )


class DesignBoundField(BoundField):
    """Every form field as the design system draws it (docs/design.md): a field with errors
    carries Bootstrap's ``is-invalid`` beside Django's ``aria-invalid`` and
    ``aria-describedby``; a free-text widget reads its own direction (``dir="auto"``), so an
    Arabic name typed on an English page, or a Latin one on an Arabic page, shows right."""

    def build_widget_attrs(
        self, attrs: dict[str, Any], widget: forms.Widget | None = None
    ) -> dict[str, Any]:
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors and not widget.is_hidden:
            existing = attrs.get("class") or widget.attrs.get("class", "")
            attrs["class"] = f"{existing} is-invalid".strip()
        if "dir" not in widget.attrs and _free_text(widget):
            attrs.setdefault("dir", "auto")
        return attrs


SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def widget_attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: False is left out, True is a bare attribute."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            # ``|stringformat:'s'`` in the template: a plain string, always escaped
            parts.append(f' {conditional_escape(name)}="{escape(str(value))}"')
    return "".join(parts)


def render_select(widget: dict[str, Any]) -> str | None:
    """A ``<select>`` (``Select``, ``NullBooleanSelect``, ``SelectMultiple``...) drawn in
    Python from its widget context: the markup of Django's ``select.html`` and
    ``select_option.html``, without a template per option (a select of ten options cost
    ~0.3-1 ms through the templates, and the case page draws several). None when an option
    has a template of its own."""
    out = [format_html('<select name="{}"', widget["name"]), widget_attrs(widget["attrs"]), ">"]
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            out.append(
                '\n  <option value="{}"{}>{}</option>\n'.format(
                    conditional_escape(str(option["value"])),
                    widget_attrs(option["attrs"]),
                    conditional_escape(option["label"]),
                )
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


#: Django's widget templates that only include ``input.html``: ``<input>`` drawn in Python.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in [
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    ]
)
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"


def render_input(widget: dict[str, Any]) -> str:
    """An ``<input>`` as Django's ``input.html`` draws it (without the template's last line
    end, as the Jinja2 renderer drew it): most fields of a page are one."""
    value = widget["value"]
    shown = "" if value is None else f' value="{escape(str(value))}"'
    return (
        format_html('<input type="{}" name="{}"', widget["type"], widget["name"])
        + f"{shown}{widget_attrs(widget['attrs'])}>"
    )


def render_textarea(widget: dict[str, Any]) -> str:
    """A ``<textarea>`` as Django's ``textarea.html`` draws it (the line end after the
    opening tag is the template's: a browser drops it, so a value starting with one keeps it)."""
    value = widget["value"]
    text = conditional_escape(value) if value else ""
    return format_html('<textarea name="{}"', widget["name"]) + (
        f"{widget_attrs(widget['attrs'])}>\n{text}</textarea>"
    )


def render_field_row(field: BoundField) -> SafeString:
    """A form field as the design system lays it out (label, widget, help, errors): the
    markup ``templates/field.html`` drew as a template, which cost ~0.3 ms a field more than
    this (Overview draws sixteen). Templates call it as ``{{ field|field_row }}`` (an include
    of that template cost another ~60 us a field). ``tests/hrdcase/test_form_renderer.py``
    holds it to that template's markup byte for byte."""
    errors = field.errors
    required = ' <span aria-hidden="true">*</span>' if field.field.required else ""
    help_text = field.help_text
    helper = (
        f'<div class="help form-text" id="{escape(field.auto_id)}_helptext">{help_text}</div>'
        if help_text
        else ""
    )
    error_list = (
        f'<div class="invalid-feedback d-block error" id="{escape(field.auto_id)}_error">'
        + "".join(f"<p>{conditional_escape(str(error))}</p>" for error in errors)
        + "</div>"
        if errors
        else ""
    )
    return mark_safe(  # noqa: S308 (label, ids and errors escaped; help text is trusted markup)
        f'<div class="field{" has-error" if errors else ""}">\n'
        f'  <label for="{conditional_escape(field.id_for_label)}">'
        f"{conditional_escape(field.label)}{required}</label>\n"
        f"  {field}\n"
        f"  {helper}\n"
        f"  {error_list}\n"
        "</div>"
    )


class FastFormRenderer(Jinja2):
    bound_field_class = DesignBoundField

    def __init__(self) -> None:
        super().__init__()
        self.fallback = DjangoTemplates()

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == SELECT_TEMPLATE:
            html = render_select(context["widget"])
            if html is not None:
                return html
        elif template_name in INPUT_TEMPLATES:
            return render_input(context["widget"])
        elif template_name == TEXTAREA_TEMPLATE:
            return render_textarea(context["widget"])
        return super().render(template_name, context, request=request)

    def get_template(self, template_name: str) -> Any:
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
