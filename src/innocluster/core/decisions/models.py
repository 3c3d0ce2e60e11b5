"""The decision record: which body decided what, under which number, on which date and basis.

Every domain action that needs an authorised decision (a commission's approval, an award, an
exclusion) points at a :class:`Decision` instead of carrying its own "approved by ... on ..."
fields, so the register, the audit and the open data all cite decisions the same way. Governance
meetings will produce these records later (``meeting_reference``); until then they are entered by
the Fund's staff from the signed documents.

A decision is a record of something that happened and is never edited: a correction is a new
decision pointing at the earlier one through ``corrects``. The only changes a row accepts are its
publication state (``status`` and the time stamps that go with it), moved through the workflow in
``decisions/workflow.py``; :meth:`Decision.save` refuses anything else.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from innocluster.core.files import GeneratedName


class Body(models.TextChoices):
    """Who decides (GLOSSARY terms). ``body_name`` carries the full name of the particular body."""

    BOARD_OF_TRUSTEES = "board_of_trustees", _("Board of Trustees")
    MANAGING_COMMITTEE = "managing_committee", _("Managing Committee")
    SELECTION_COMMISSION = "selection_commission", _("Selection commission")
    EXPERT_COMMISSION = "expert_commission", _("Expert commission")
    FUND_EXECUTIVE = "fund_executive", _("Fund executive")
    FUND_OFFICER = "fund_officer", _("Fund officer")


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", _("Approved with conditions")
    NOTED = "noted", _("Noted")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    """Whether the record is in the public register. Revocation withdraws a record entered in
    error; a decision the body itself changes is corrected by a new decision instead."""

    RECORDED = "recorded", _("Recorded")
    PUBLISHED = "published", _("Published")
    REVOKED = "revoked", _("Revoked")


class ImmutableRecord(Exception):
    """A programming error: code tried to edit or delete a record that is history."""


class Decision(models.Model):
    # What the workflow may change on an existing row; everything else is fixed once recorded.
    MUTABLE_FIELDS = frozenset({"status", "published_at", "revoked_at"})

    body = models.CharField(_("deciding body"), max_length=30, choices=Body.choices)
    body_name = models.CharField(
        _("name of the body"),
        max_length=300,
        blank=True,
        help_text=_("The body's full name as written on the decision, e.g. the commission's name."),
    )
    number = models.CharField(_("decision number"), max_length=50, help_text=_("As issued."))
    decided_on = models.DateField(_("decided on"))
    basis = models.TextField(
        _("legal basis"), help_text=_("The law, rules or delegation under which the body decided.")
    )
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices)
    summary = models.TextField(_("summary"), blank=True)
    meeting_reference = models.CharField(
        _("meeting reference"),
        max_length=200,
        blank=True,
        help_text=_("The meeting and item the decision was taken at, when a body decided in a meeting."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
        help_text=_("The officer, for a decision taken by one person."),
    )
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("corrects"),
        help_text=_("The earlier decision this one corrects."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECORDED)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "number", "decided_on"], name="decisions_unique_number_per_body_and_date"
            )
        ]
        indexes = [models.Index(fields=["body", "number"])]

    def __str__(self):
        return gettext("%(body)s, decision No. %(number)s of %(date)s") % {
            "body": self.get_body_display(),
            "number": self.number,
            "date": self.decided_on.isoformat() if self.decided_on else "",
        }

    def save(self, *args, **kwargs):
        if not self._state.adding:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or not set(update_fields) <= self.MUTABLE_FIELDS:
                raise ImmutableRecord(
                    "A decision is never edited: record a new decision that corrects it "
                    f"(only {sorted(self.MUTABLE_FIELDS)} change, through the workflow)."
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord("A decision is never deleted: revoke it or record a correcting decision.")


class DecisionDocument(models.Model):
    """A signed scan or file of the decision. The SHA-256 lets anyone check that a copy is the one
    filed; it is computed while the upload is read and never changes."""

    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="documents", verbose_name=_("decision")
    )
    file = models.FileField(_("file"), upload_to=GeneratedName("decisions"), max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )

    class Meta:
        verbose_name = _("decision document")
        verbose_name_plural = _("decision documents")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "sha256"], name="decisions_document_once_per_decision"
            )
        ]

    def __str__(self):
        return self.original_name
