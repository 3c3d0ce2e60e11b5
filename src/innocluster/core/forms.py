"""Forms the apps' staff pages share: an itemised return for revision (each comment names the field
or document it is about; the applicant or employer answers item by item)."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _


class ReturnItemForm(forms.Form):
    """One item of a return. ``missing_text`` is the app's own words for an item left without a
    comment (who is to change it: the applicant, the employer)."""

    missing_text = None

    item = forms.CharField(
        label=_("Item"),
        required=False,
        max_length=100,
        help_text=_("The field or document concerned."),
        widget=forms.TextInput(attrs={"list": "revision-items"}),
    )
    text = forms.CharField(
        label=_("What to change"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if (data.get("item") or "").strip() and not (data.get("text") or "").strip():
            self.add_error("text", self.missing_text)
        return data


class ReturnForm(forms.Form):
    """A return for revision: itemised comments (at least one: the service says so otherwise), plus
    an optional general one. An app sets ``item_form`` (its :class:`ReturnItemForm`) and ``extra``
    (empty item rows shown)."""

    item_form: type[ReturnItemForm] = ReturnItemForm
    extra = 3

    reason = forms.CharField(
        label=_("General comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: anything that is not about one item."),
    )

    def __init__(self, data=None, *, prefix="return_for_revision", **kwargs):
        super().__init__(data, prefix=prefix, **kwargs)
        formset = formset_factory(self.item_form, extra=self.extra, max_num=30, validate_max=True)
        self.items = formset(data, prefix=f"{prefix}-items")

    def is_valid(self) -> bool:
        return all([super().is_valid(), self.items.is_valid()])

    def pairs(self) -> list[tuple[str, str]]:
        """(item, comment) pairs that have a comment; an item left blank is a general comment."""
        pairs = []
        for form in self.items.forms:
            data = getattr(form, "cleaned_data", None) or {}
            text = (data.get("text") or "").strip()
            if text:
                pairs.append(((data.get("item") or "").strip() or str(_("General")), text))
        return pairs

    def inputs(self) -> dict:
        return {"reason": self.cleaned_data["reason"], "items": self.pairs()}
