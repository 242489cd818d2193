"""Form widgets are drawn with Django's Jinja2 widget templates, with the same markup as
through the Django template engine; widgets without a Jinja2 copy still render."""

import re

from django import forms
from django.contrib.auth.forms import ReadOnlyPasswordHashWidget
from django.forms.renderers import DjangoTemplates

from hrdcase.form_renderer import DesignBoundField, FastFormRenderer


class _DjangoTemplates(DjangoTemplates):
    # the same fields (the design system's classes and dir="auto"), drawn by Django's engine
    bound_field_class = DesignBoundField


class _Form(forms.Form):
    kind = forms.ChoiceField(choices=[("note", "Note"), ("visit", "Prison <visit>")])
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), help_text="Short")
    visibility = forms.ChoiceField(
        choices=[("internal", "Internal"), ("shared", "Shared")], widget=forms.RadioSelect
    )
    when = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


def _markup(renderer, data=None) -> str:
    form = _Form(data, renderer=renderer, initial={"kind": "visit"})
    html = "".join(str(field) for field in form)
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


def test_the_settings_draw_widgets_with_the_fast_renderer():
    assert isinstance(_Form().renderer, FastFormRenderer)


def test_widgets_have_the_markup_of_the_django_templates():
    fast, django = FastFormRenderer(), _DjangoTemplates()
    assert _markup(fast) == _markup(django)
    assert "Prison &lt;visit&gt;" in _markup(fast)  # labels escaped
    bound = {"kind": "note", "summary": "<b>x</b>", "visibility": "shared", "when": "bad"}
    assert _markup(fast, bound) == _markup(django, bound)
    assert 'value="shared" required id="id_visibility_1" checked' in _markup(fast, bound)


def test_a_widget_without_a_jinja2_template_renders_through_the_django_templates():
    html = ReadOnlyPasswordHashWidget().render("password", "", renderer=FastFormRenderer())
    assert "No password set." in html


def test_free_text_reads_its_own_direction_and_an_error_is_marked_as_bootstrap_does():
    html = _markup(FastFormRenderer(), {"kind": "note", "summary": "", "visibility": "x"})
    summary = re.search(r"<textarea[^>]*>", html).group(0)
    assert 'dir="auto"' in summary
    assert 'class="is-invalid"' in summary and 'aria-invalid="true"' in summary
    assert 'aria-describedby="id_summary_helptext id_summary_error"' in summary
    # dates and choices keep the page's direction
    assert 'dir="auto"' not in re.search(r'<input type="datetime-local"[^>]*>', html).group(0)
    assert 'dir="auto"' not in re.search(r"<select[^>]*>", html).group(0)


class _Selects(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "—"), ("a&b", "A & <b>"), ("Group", [("1", "one"), ("2", '"two"')])]
    )
    attended = forms.NullBooleanField(widget=forms.NullBooleanSelect, required=False)
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")])


class _OwnOption(forms.Select):
    option_template_name = "django/forms/widgets/radio_option.html"


def test_selects_are_drawn_in_python_with_the_django_templates_markup():
    """Every select (``render_select``): byte for byte what Django's templates draw, with
    the chosen options marked; a select whose options have their own template is left to
    the templates."""
    fast, django = FastFormRenderer(), _DjangoTemplates()
    for data in (None, {"kind": "2", "attended": "true", "many": ["x", "z"]}, {"kind": "zz"}):
        fast_form, django_form = _Selects(data, renderer=fast), _Selects(data, renderer=django)
        for name in ("kind", "attended", "many"):
            assert str(fast_form[name]) == str(django_form[name])
    chosen = str(_Selects({"kind": "2", "many": ["x", "z"]}, renderer=fast)["many"])
    assert chosen.count(" selected") == 2 and "multiple" in chosen
    own = _OwnOption(choices=[("a", "A")])
    drawn = own.render("p", "a", renderer=fast)
    assert "<label" in drawn  # its own option template, through the templates
    assert re.sub(r"\s+", "", drawn) == re.sub(r"\s+", "", own.render("p", "a", renderer=django))


class _Inputs(forms.Form):
    name = forms.CharField(max_length=20, help_text="Typed")
    email = forms.EmailField(required=False)
    count = forms.IntegerField(required=False, min_value=1)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.DateTimeField(required=False, widget=forms.DateTimeInput)
    secret = forms.CharField(required=False, widget=forms.PasswordInput)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    agree = forms.BooleanField(required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


def test_inputs_and_textareas_are_drawn_in_python_with_the_django_templates_markup():
    """``render_input`` and ``render_textarea``: Django's markup (less the template's last
    line end, as the Jinja2 templates drew it), values and attributes escaped."""
    fast, django = FastFormRenderer(), _DjangoTemplates()
    cases = [
        None,
        {"name": 'O\'Brien & "Sons" <x>', "email": "bad", "count": "0", "agree": "on"},
        {"name": "", "notes": "\nfirst line kept\n<b>", "day": "2026-02-30", "hidden": "a&b"},
    ]
    for data in cases:
        fast_form, django_form = _Inputs(data, renderer=fast), _Inputs(data, renderer=django)
        for name in fast_form.fields:
            assert str(fast_form[name]) == str(django_form[name]).rstrip("\n"), (data, name)
    drawn = str(_Inputs(cases[1], renderer=fast)["name"])
    assert 'value="O&#x27;Brien &amp; &quot;Sons&quot; &lt;x&gt;"' in drawn
    assert 'aria-invalid="true"' not in drawn  # a valid field
    assert 'aria-invalid="true"' in str(_Inputs(cases[1], renderer=fast)["email"])
    assert "checked" in str(_Inputs(cases[1], renderer=fast)["agree"])


#: templates/field.html as it was drawn by the template engine (until session 13): the field
#: row drawn in Python must keep this markup byte for byte.
FIELD_TEMPLATE = """<div class="field{% if field.errors %} has-error{% endif %}">
  <label for="{{ field.id_for_label }}">{{ field.label }}{% if field.field.required %} <span aria-hidden="true">*</span>{% endif %}</label>
  {{ field }}
  {% if field.help_text %}<div class="help form-text" id="{{ field.auto_id }}_helptext">{{ field.help_text|safe }}</div>{% endif %}
  {% if field.errors %}<div class="invalid-feedback d-block error" id="{{ field.auto_id }}_error">{% for error in field.errors %}<p>{{ error }}</p>{% endfor %}</div>{% endif %}
</div>
"""  # noqa: E501


class _Labelled(forms.Form):
    name = forms.CharField(label='Name <b>"x"</b> & co', help_text="Typed <em>as is</em>")
    kind = forms.ChoiceField(required=False, choices=[("a", "A <1>")], label="Kind")
    visibility = forms.ChoiceField(
        choices=[("internal", "Internal"), ("shared", "Shared")], widget=forms.RadioSelect
    )
    day = forms.DateField(required=False, show_hidden_initial=True, initial="2026-01-02")

    def clean_name(self):
        raise forms.ValidationError(["First <problem>.", "Second & last."])


def test_a_field_row_has_the_markup_the_field_template_drew():
    from django.template import engines

    engine = engines["django"]
    reference = engine.from_string(FIELD_TEMPLATE)
    # the filter every form template calls, as a builtin (no ``load``); the template's own
    # last line end was the include's
    row = engine.from_string("{{ field|field_row }}\n")
    for data in (None, {"name": "x", "visibility": "nope", "day": "bad"}):
        form = _Labelled(data, auto_id="id_%s" if data else "f_%s")
        for field in form:
            drawn = row.render({"field": field})
            assert drawn == reference.render({"field": field}), (data, field.name)
    bound = _Labelled({"name": "x", "visibility": "shared"})
    drawn = row.render({"field": bound["name"]})
    assert '<div class="field has-error">' in drawn
    assert "Name &lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; co" in drawn  # the label escaped
    assert "<p>First &lt;problem&gt;.</p><p>Second &amp; last.</p>" in drawn
    assert "Typed <em>as is</em>" in drawn  # help text is the form's own markup
