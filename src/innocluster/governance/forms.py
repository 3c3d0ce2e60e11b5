"""The forms of the meeting pages. They only read what a person typed: every rule (who may act,
the notice period, who may vote, the deadline) is checked again by the services, whose refusals
come back beside the fields they name."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from innocluster.core.calendar import ALMATY
from innocluster.core.manifest import decision_types
from innocluster.governance.models import AttendanceMode, Choice, Majority, MeetingKind

# A day and time as the browser's picker sends it; read as Almaty time.
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class AlmatyDateTimeField(forms.DateTimeField):
    """A local day and time typed on the page, read as Almaty time whatever the server's zone."""

    widget = DATETIME_INPUT
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def to_python(self, value):
        found = super().to_python(value)
        if found is None:
            return None
        naive = timezone.make_naive(found) if timezone.is_aware(found) else found
        return naive.replace(tzinfo=ALMATY)


class PlanMeetingForm(forms.Form):
    body = forms.ChoiceField(label=_("Body"))
    starts_at = AlmatyDateTimeField(label=_("Starts at (Astana time)"))
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)
    place = forms.CharField(label=_("Place or link"), max_length=300, required=False)

    def __init__(self, *args, bodies=(), language="en", **kwargs):
        super().__init__(*args, **kwargs)
        self.bodies = {str(b.pk): b for b in bodies}
        self.fields["body"].choices = [(pk, b.text("name", language)) for pk, b in self.bodies.items()]

    def clean_body(self):
        return self.bodies[self.cleaned_data["body"]]


class ItemForm(forms.Form):
    title_en = forms.CharField(label=_("Title (English)"), max_length=500)
    title_kk = forms.CharField(label=_("Title (Kazakh)"), max_length=500, required=False)
    title_ru = forms.CharField(label=_("Title (Russian)"), max_length=500, required=False)
    parent = forms.ChoiceField(label=_("Sub-item of"), required=False)
    decision_type = forms.ChoiceField(label=_("Decision type"), required=False)
    linked = forms.CharField(
        label=_("Record decided on"),
        max_length=64,
        required=False,
        help_text=_(
            "Its number in the register or its identifier, for a decision type that acts on a record."
        ),
    )
    amount = forms.DecimalField(
        label=_("Amount, tenge"),
        max_digits=18,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("For a decision type whose deciding body depends on the amount (a grant award)."),
    )
    majority = forms.ChoiceField(
        label=_("Majority"),
        required=False,
        help_text=_("Leave empty for the rule of the decision type or the body's default."),
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("— a main item —"))] + [
            (str(v.item.pk), v.number) for v in items
        ]
        self.fields["decision_type"].choices = [("", _("— none (a matter for discussion) —"))] + [
            (kind.code, kind.label) for kind in decision_types()
        ]
        self.fields["majority"].choices = [("", _("— by the rules —")), *list(Majority.choices)]


class AttendanceForm(forms.Form):
    """One row per member with a vote: absent, in the room or online."""

    ABSENT = "absent"

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        choices = [
            (self.ABSENT, _("absent")),
            (AttendanceMode.IN_ROOM, _("in the room")),
            (AttendanceMode.ONLINE, _("online")),
        ]
        for row in self.rows:
            membership, current = row["membership"], row["attendance"]
            if current is not None:
                initial = current.mode if current.present else self.ABSENT
            else:
                initial = AttendanceMode.ONLINE if row.get("voted") else self.ABSENT
            self.fields[f"m{membership.pk}"] = forms.ChoiceField(
                label=str(membership.full_name), choices=choices, initial=initial
            )
            row["field"] = self[f"m{membership.pk}"]


class MemberChoiceForm(forms.Form):
    membership = forms.ChoiceField(label=pgettext_lazy("member of a body", "Member"))

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        self.fields["membership"].choices = [(pk, m.full_name) for pk, m in self.members.items()]

    def clean_membership(self):
        return self.members[self.cleaned_data["membership"]]


class ConflictForm(MemberChoiceForm):
    reason = forms.CharField(label=_("Conflict of interest"), max_length=500)


class RecordBallotForm(MemberChoiceForm):
    choice = forms.ChoiceField(label=_("Vote"), choices=Choice.choices)
    mode = forms.ChoiceField(
        label=_("How the vote was cast"),
        choices=[
            (AttendanceMode.IN_ROOM, _("in the room")),
            (AttendanceMode.ABSENTEE, _("written absentee ballot")),
        ],
    )


class PaperForm(forms.Form):
    file = forms.FileField(label=_("Paper"))


class OpenRoundForm(forms.Form):
    deadline = AlmatyDateTimeField(
        label=_("Online voting until (Astana time)"),
        required=False,
        help_text=_("Leave empty for a vote in the room, closed by the secretary."),
    )


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("Your vote"), choices=Choice.choices, widget=forms.RadioSelect)
    confirm = forms.BooleanField(
        label=_("I understand that a ballot cannot be changed once cast."), required=True
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


def default_start(now: dt.datetime | None = None) -> dt.datetime:
    """A week from now at 10:00 in Almaty: where the planning form starts."""
    now = timezone.localtime(now or timezone.now(), ALMATY)
    return (now + dt.timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0)
