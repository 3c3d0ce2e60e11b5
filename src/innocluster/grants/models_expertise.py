"""Stages two and three of the expertise.

**Pre-selection** (the 2015 rules: "subsoil users pre-select the projects they want to finance"):
the subsoil users who finance a call (:class:`CallFinancer`) see the shortlist without personal data
and mark their interest in an application with the amount they would fund (:class:`PreselectionMark`).

**The expert commission**: a programme manager assigns experts (:class:`ExpertAssignment`). Each
expert first declares whether they have a conflict of interest; a conflicted expert is recused and
can neither open the application nor see the others' scores. An expert scores every criterion of the
call's rubric with a comment (:class:`Score`) and gives an opinion, expedient or inexpedient. A
chair may ask for another review: a new assignment with ``round`` + 1 and the reason."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innocluster.grants.models_applications import MONEY, Opinion


class CallFinancer(models.Model):
    """A subsoil user (an organisation) that finances a call and so pre-selects its applications."""

    call = models.ForeignKey("grants.Call", on_delete=models.CASCADE, related_name="financers")
    organisation = models.ForeignKey("parties.Organisation", on_delete=models.PROTECT, related_name="+")
    pledged = models.DecimalField(_("amount pledged"), default=Decimal("0.00"), **MONEY)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["call", "id"]
        verbose_name = _("financing subsoil user")
        verbose_name_plural = _("financing subsoil users")
        constraints = [
            models.UniqueConstraint(fields=["call", "organisation"], name="grants_call_financer_unique")
        ]

    def __str__(self):
        return f"{self.call}: {self.organisation}"


class PreselectionMark(models.Model):
    """A financing subsoil user's interest in one application, with the amount it would fund."""

    application = models.ForeignKey(
        "grants.ProjectApplication", on_delete=models.CASCADE, related_name="preselection_marks"
    )
    financer = models.ForeignKey(CallFinancer, on_delete=models.PROTECT, related_name="marks")
    interested = models.BooleanField(_("interested"))
    amount = models.DecimalField(_("amount it would fund"), default=Decimal("0.00"), **MONEY)
    comment = models.TextField(_("comment"), blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application", "financer"]
        verbose_name = _("pre-selection mark")
        verbose_name_plural = _("pre-selection marks")
        constraints = [
            models.UniqueConstraint(fields=["application", "financer"], name="grants_preselection_one_mark"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="grants_preselection_amount"),
        ]

    def __str__(self):
        return f"{self.application}: {self.financer}"


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("assigned: conflict declaration due")
    REVIEWING = "reviewing", _("reviewing")
    RECUSED = "recused", _("recused: conflict of interest")
    SUBMITTED = "submitted", _("review submitted")
    CANCELLED = "cancelled", _("assignment cancelled")


class ExpertAssignment(models.Model):
    """An expert's review of one application, from the conflict declaration to the opinion."""

    Status = AssignmentStatus

    application = models.ForeignKey(
        "grants.ProjectApplication", on_delete=models.PROTECT, related_name="assignments"
    )
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField(_("review round"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField(_("review due"), null=True, blank=True)
    reason = models.TextField(_("why another review"), blank=True)  # a chair's request
    declared_at = models.DateTimeField(_("conflict declared at"), null=True, blank=True)
    has_conflict = models.BooleanField(_("conflict of interest"), null=True, blank=True)
    conflict_note = models.TextField(_("conflict of interest: details"), blank=True)
    opinion = models.CharField(_("opinion"), max_length=12, choices=Opinion.choices, blank=True)
    opinion_text = models.TextField(_("reasoning"), blank=True)
    total = models.DecimalField(_("weighted score"), max_digits=7, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["application", "round", "id"]
        verbose_name = _("expert assignment")
        verbose_name_plural = _("expert assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "expert", "round"], name="grants_one_assignment_per_expert_round"
            )
        ]
        indexes = [models.Index(fields=["expert", "status"], name="grants_assignment_expert")]

    def __str__(self):
        return f"{self.application} / {self.expert} ({self.round})"


class Score(models.Model):
    """An expert's score on one criterion of the call's rubric, with a comment."""

    assignment = models.ForeignKey(ExpertAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("grants.Criterion", on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"))

    class Meta:
        ordering = ["assignment", "criterion__position"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="grants_one_score_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"
