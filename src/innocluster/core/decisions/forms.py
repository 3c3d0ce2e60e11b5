from django import forms

from . import services
from .models import Decision


class DecisionForm(forms.ModelForm):
    """Entering a decision: the same checks and messages as :func:`services.record_decision`."""

    class Meta:
        model = Decision
        fields = [
            "body", "body_name", "number", "decided_on", "basis", "outcome", "summary",
            "meeting_reference", "decided_by", "corrects",
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        problems = services.validate_decision(
            body=data.get("body") or "",
            number=data.get("number") or "",
            decided_on=data.get("decided_on"),
            basis=data.get("basis") or "",
            outcome=data.get("outcome") or "",
            corrects=data.get("corrects"),
        )
        for field, messages in problems.items():
            if field not in self.errors:  # the field's own error ("required") already says it
                for message in messages:
                    self.add_error(field, message)
        return data

    def validate_unique(self):
        """The service checks uniqueness with a message naming the number; the model's generic
        constraint message would only repeat it without a field."""
