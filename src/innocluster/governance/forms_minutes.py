"""The forms of the minutes page: the summary (drafts), circulation with a day for comments, and a
member's comment. They only collect input; ``services.minutes`` validates again and decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from innocluster.core.widgets import DATE_INPUT


class SummaryForm(forms.Form):
    summary_en = forms.CharField(
        label=_("Summary of the discussion (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    summary_kk = forms.CharField(
        label=_("Summary of the discussion (Kazakh)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    summary_ru = forms.CharField(
        label=_("Summary of the discussion (Russian)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class CirculateForm(forms.Form):
    comments_due = forms.DateField(
        label=_("Comments due"),
        widget=DATE_INPUT,
        help_text=_("Members with a vote may comment until this day, inclusive."),
    )


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
