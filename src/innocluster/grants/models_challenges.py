"""Open-innovation challenges: the cluster's interaction between industry and innovators.

A subsoil user or another industrial participant posts a technology challenge (problem, constraints,
data offered, budget, deadline); participants answer with proposals; the poster shortlists. A
shortlisted answer becomes a project application in a call (``Challenge.call``) with pre-selection
already done and the poster as co-financer (``ProjectApplication.challenge_answer``)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from innocluster.grants.models_applications import MONEY


class Challenge(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open for proposals")
        CLOSED = "closed", _("closed")
        WITHDRAWN = "withdrawn", pgettext_lazy("challenge status", "withdrawn")

    poster = models.ForeignKey("parties.Organisation", on_delete=models.PROTECT, related_name="+")
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=300)
    problem = models.TextField(_("problem"))
    constraints = models.TextField(_("constraints"), blank=True)
    data_offered = models.TextField(_("data offered"), blank=True)
    budget = models.DecimalField(_("budget"), default=Decimal("0.00"), **MONEY)
    deadline = models.DateTimeField(_("proposals accepted until"))
    call = models.ForeignKey(
        "grants.Call",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="challenges",
        verbose_name=_("call for the shortlisted projects"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        constraints = [
            models.CheckConstraint(condition=models.Q(budget__gte=0), name="grants_challenge_budget")
        ]

    def __str__(self):
        return self.title


class ChallengeAnswer(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        SHORTLISTED = "shortlisted", _("shortlisted")
        DECLINED = "declined", _("not shortlisted")
        CONVERTED = "converted", _("became a project application")

    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="answers")
    organisation = models.ForeignKey("parties.Organisation", on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("proposal title"), max_length=300)
    approach = models.TextField(_("proposed solution"))
    amount = models.DecimalField(_("amount needed"), default=Decimal("0.00"), **MONEY)
    months = models.PositiveSmallIntegerField(_("duration, months"), default=12)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    poster_comment = models.TextField(_("poster's comment"), blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["challenge", "-submitted_at"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "organisation"], name="grants_one_answer_per_organisation"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="grants_answer_amount"),
        ]

    def __str__(self):
        return self.title
