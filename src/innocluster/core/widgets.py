"""Form widgets that write their HTML in Python instead of through the template engine.

Django renders a ``<select>`` by including one template per option: a filter form with a few
dozen options (regions, categories) then costs several milliseconds a page, more than the
database's part of it. These widgets produce the same markup as Django's templates
(``django/forms/widgets/select.html``, ``select_option.html``, ``input.html``, ``attrs.html``)
from the same context (:meth:`get_context`), so what a reader sees and what the form accepts do
not change; only the template engine is left out. Everything printed is escaped.
"""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """``attrs.html``: `` name="value"`` for each attribute, bare for ``True``, none for ``False``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


class PlainSelect(forms.Select):
    """:class:`forms.Select` without the template engine (option groups included)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                html.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))  # noqa: S308  (every part above is escaped)


class PlainTextInput(forms.TextInput):
    """:class:`forms.TextInput` without the template engine."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{conditional_escape(str(widget["value"]))}"'
        return mark_safe(  # noqa: S308  (every part is escaped)
            f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
            f"{shown}{_attrs(widget['attrs'])}>"
        )


# A date field as the browser's date picker; the ISO format is what that input sends and expects.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
