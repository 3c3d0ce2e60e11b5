"""Carrying out a resolution: each attempt to run the command its decision type triggers.

An adopted item whose decision type has an executor (contributed by the app that owns the command,
``core.decisions.executors``) is carried out when its round closes: a decision record is kept and
the command runs, all or nothing. Each attempt is one :class:`Execution` row, kept as history: a
failed attempt keeps its error, and a retry is a new attempt with the next number.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExecutionStatus(models.TextChoices):
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")


class Execution(models.Model):
    resolution = models.ForeignKey(
        "governance.Resolution",
        on_delete=models.PROTECT,
        related_name="executions",
        verbose_name=_("resolution"),
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    status = models.CharField(_("status"), max_length=20, choices=ExecutionStatus.choices)
    error = models.TextField(_("error"), blank=True)
    decision = models.ForeignKey(
        "decisions.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decision record"),
    )
    started_at = models.DateTimeField(_("started at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    class Meta:
        ordering = ["resolution", "attempt"]
        verbose_name = _("execution")
        verbose_name_plural = _("executions")
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "attempt"], name="governance_execution_attempt_once"
            ),
        ]

    def __str__(self):
        return f"{self.resolution} attempt {self.attempt}: {self.status}"
