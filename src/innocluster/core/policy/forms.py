import yaml
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Kind, ParameterValue


def parse_value_text(kind: str, text: str):
    """What an administrator types to the value stored: empty means an explicit "none"."""
    text = (text or "").strip()
    if text == "":
        return None
    if kind == Kind.CONDITIONS:  # rows as YAML or JSON: [{attribute: ..., operator: ..., ...}]
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError:
            return text  # refused by the conditions check: "a list of rows"
    if kind == Kind.LIST:
        if text.startswith(("[", "-")):  # rows as YAML or JSON: [{name: value, ...}, ...]
            try:
                return yaml.safe_load(text)
            except yaml.YAMLError:
                return text  # refused by the list check: "Must be a list."
        return [item.strip() for item in text.split(",") if item.strip()]
    if kind == Kind.BOOLEAN:
        lowered = text.lower()
        if lowered in {"true", "yes", "1", "иә", "да"}:
            return True
        if lowered in {"false", "no", "0", "жоқ", "нет"}:
            return False
    return text


class ParameterValueForm(forms.ModelForm):
    value_text = forms.CharField(
        label=_("value"),
        required=False,
        help_text=_(
            "Fractions as 0.01 for 1%; days and years as whole numbers; lists separated by commas; "
            "leave empty for an explicit 'none'."
        ),
    )

    class Meta:
        model = ParameterValue
        fields = [
            "regime", "key", "valid_from", "kind", "reference", "reference_ru", "reference_kk",
            "source", "note", "note_ru", "note_kk",
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["value"] = services.validate_new_value(
                regime=data["regime"],
                key=data["key"],
                valid_from=data["valid_from"],
                kind=data["kind"],
                value=parse_value_text(data["kind"], data.get("value_text")),
                reference=data["reference"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    target = "value_text" if field == "value" else field
                    self.add_error(target if target in self.fields else None, errors)
            else:
                self.add_error(None, exc)
        return data
