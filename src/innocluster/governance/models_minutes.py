"""The minutes of a meeting: the secretary's record of what was discussed (a summary and notes
per item, in English, Kazakh and Russian), circulated to the members for comments, approved, then
locked with the SHA-256 of its content. Every change goes through ``services.minutes``.

The votes, the arithmetic and the resolutions are not copied here: they are the meeting's own
records (immutable once their rounds close), and ``selectors_minutes.minutes_content`` reads them with the
summary into one structure that the page, the PDF and the hash all use.

Locked minutes never change, and this is enforced here too, not only by the services: saving a
locked :class:`Minutes`, or a note or comment of it, raises (as a closed ``BallotRound`` does).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innocluster.core.policy.models import localized


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    CIRCULATED = "circulated", _("circulated for comments")
    APPROVED = "approved", _("approved")
    LOCKED = "locked", _("locked")


LOCKED_MESSAGE = _("Locked minutes never change.")


def _locked(minutes_id) -> bool:
    return Minutes.objects.filter(pk=minutes_id, status=MinutesStatus.LOCKED).exists()


class Minutes(models.Model):
    meeting = models.OneToOneField(
        "governance.Meeting", on_delete=models.PROTECT, related_name="minutes", verbose_name=_("meeting")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    summary_en = models.TextField(_("summary of the discussion (English)"), blank=True)
    summary_kk = models.TextField(_("summary of the discussion (Kazakh)"), blank=True)
    summary_ru = models.TextField(_("summary of the discussion (Russian)"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    circulated_at = models.DateTimeField(_("circulated at"), null=True, blank=True)
    comments_due = models.DateField(_("comments due"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    sha256 = models.CharField(
        _("SHA-256"), max_length=64, blank=True, help_text=_("Of the minutes' content, when locked.")
    )

    class Meta:
        ordering = ["meeting__starts_at", "id"]
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self):
        return f"{self.meeting} minutes"

    def save(self, *args, **kwargs):
        if self.pk is not None and _locked(self.pk):
            raise ValidationError(LOCKED_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Minutes are never deleted."))

    @property
    def body(self):
        """The meeting's body (so access predicates take minutes as they take a meeting)."""
        return self.meeting.body

    @property
    def is_locked(self) -> bool:
        return self.status == MinutesStatus.LOCKED

    def summary(self, language: str) -> str:
        return localized(self.summary_en, {"kk": self.summary_kk, "ru": self.summary_ru}, language)


class _PartOfMinutes(models.Model):
    """A row that belongs to minutes: never changed once they are locked, never deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if _locked(self.minutes_id):
            raise ValidationError(LOCKED_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("This part of the minutes is never deleted."))


class MinutesItemNote(_PartOfMinutes):
    """What was said on one agenda item, per language."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.PROTECT, related_name="notes", verbose_name=_("minutes")
    )
    item = models.ForeignKey(
        "governance.AgendaItem", on_delete=models.PROTECT, related_name="+", verbose_name=_("agenda item")
    )
    text_en = models.TextField(_("text (English)"), blank=True)
    text_kk = models.TextField(_("text (Kazakh)"), blank=True)
    text_ru = models.TextField(_("text (Russian)"), blank=True)

    class Meta:
        ordering = ["minutes", "item", "id"]
        verbose_name = _("note on an item")
        verbose_name_plural = _("notes on items")
        constraints = [
            models.UniqueConstraint(fields=["minutes", "item"], name="governance_minutes_note_once"),
        ]

    def __str__(self):
        return f"{self.minutes}: note on {self.item_id}"

    def text(self, language: str) -> str:
        return localized(self.text_en, {"kk": self.text_kk, "ru": self.text_ru}, language)


class MinutesComment(_PartOfMinutes):
    """A member's comment on circulated minutes; it stays attached once they are approved."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.PROTECT, related_name="comments", verbose_name=_("minutes")
    )
    membership = models.ForeignKey(
        "governance.Membership", on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["minutes", "created_at", "id"]
        verbose_name = _("comment on minutes")
        verbose_name_plural = _("comments on minutes")

    def __str__(self):
        return f"{self.minutes}: comment by {self.membership_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("A comment cannot be changed once written."))
        super().save(*args, **kwargs)
