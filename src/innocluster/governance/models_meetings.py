"""Meetings of a body: the agenda, who attended, who recused, the ballot rounds and the
resolutions they adopt. Every change goes through ``services.meetings`` and ``services.ballots`` (validated, audited).

Immutability is enforced here too, not only by the services: a :class:`Ballot` is never changed
or deleted once cast, and a :class:`BallotRound` is never changed once closed (a re-vote is a new
round). The result's arithmetic (``BallotRound.steps``) is stored as rendered text in English,
Kazakh and Russian: the engine (``voting.decide``) renders its sentences with their numbers at
call time, and the minutes are a record, so the text shown when the round closed is kept as it was
even if a translation is later improved.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from innocluster.core.calendar import almaty_date
from innocluster.core.files import GeneratedName
from innocluster.core.policy.models import localized


class MeetingKind(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    REMOTE = "remote", _("remote")
    ABSENTEE = "absentee", _("absentee (written) vote")


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    CONVENED = "convened", _("convened")
    HELD = "held", _("held")
    CLOSED = "closed", _("closed")


class Meeting(models.Model):
    body = models.ForeignKey(
        "governance.Body", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("body")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"), help_text=_("Numbered per body and year."))
    kind = models.CharField(
        _("kind"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.IN_PERSON
    )
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    convened_at = models.DateTimeField(_("convened at"), null=True, blank=True)
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("convened by"),
    )
    notice_late = models.BooleanField(_("convened with late notice"), default=False)
    notice_days_given = models.PositiveSmallIntegerField(_("notice given (days)"), null=True, blank=True)
    notice_days_required = models.PositiveSmallIntegerField(
        _("notice required (days)"), null=True, blank=True
    )

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "number"], name="governance_meeting_number_once"),
        ]

    def __str__(self):
        return f"{self.body.code} {self.year}/{self.number}"

    @property
    def date(self):
        """The meeting's calendar day in Almaty (terms and notice are counted in Almaty days)."""
        return almaty_date(self.starts_at)


class ItemStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("agenda item", "open")
    VOTING = "voting", pgettext_lazy("agenda item", "voting")
    ADOPTED = "adopted", pgettext_lazy("agenda item", "adopted")
    REJECTED = "rejected", pgettext_lazy("agenda item", "not adopted")
    NO_QUORUM = "no_quorum", pgettext_lazy("agenda item", "no quorum")
    WITHDRAWN = "withdrawn", pgettext_lazy("agenda item", "withdrawn")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="items", verbose_name=_("meeting")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent item"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title_en = models.CharField(_("title (English)"), max_length=500)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=500, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=500, blank=True)
    decision_type = models.CharField(_("decision type"), max_length=100, blank=True)
    linked_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("linked record type"),
    )
    linked_id = models.CharField(_("linked record id"), max_length=64, blank=True)
    linked_label = models.CharField(
        _("linked record"),
        max_length=300,
        blank=True,
        help_text=_("The record's name when it was put on the agenda."),
    )
    majority = models.CharField(
        _("majority"),
        max_length=30,
        blank=True,
        help_text=_(
            "Empty: the majority the authority matrix names for the decision type, else the body's "
            "default. Otherwise one of the body majorities."
        ),
    )
    amount = models.DecimalField(
        _("amount (KZT)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For a decision type banded by amount: the amount decided."),
    )
    status = models.CharField(_("status"), max_length=20, choices=ItemStatus.choices, default=ItemStatus.OPEN)

    class Meta:
        ordering = ["meeting", "position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return f"{self.meeting} #{self.position}: {self.title_en}"

    def title(self, language: str) -> str:
        return localized(self.title_en, {"kk": self.title_kk, "ru": self.title_ru}, language)


class ItemPaper(models.Model):
    """A paper for an agenda item (a draft, a report). The SHA-256 lets a member check that the
    copy they read is the one filed; a paper is never replaced, a new version is a new paper."""

    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="papers", verbose_name=_("agenda item")
    )
    file = models.FileField(_("file"), upload_to=GeneratedName("governance"), max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )

    class Meta:
        ordering = ["item", "uploaded_at", "id"]
        verbose_name = _("item paper")
        verbose_name_plural = _("item papers")
        constraints = [
            models.UniqueConstraint(fields=["item", "sha256"], name="governance_paper_once_per_item"),
        ]

    def __str__(self):
        return self.original_name


class AttendanceMode(models.TextChoices):
    IN_ROOM = "in_room", _("in the room")
    ONLINE = "online", _("online")
    ABSENTEE = "absentee", _("absentee ballot")


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("meeting")
    )
    membership = models.ForeignKey(
        "governance.Membership", on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    present = models.BooleanField(_("present"))
    mode = models.CharField(
        _("mode"), max_length=20, choices=AttendanceMode.choices, default=AttendanceMode.IN_ROOM
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["meeting", "membership__full_name", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "membership"], name="governance_attendance_once"),
        ]

    def __str__(self):
        return f"{self.meeting}: {self.membership_id} present={self.present}"


class Recusal(models.Model):
    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="recusals", verbose_name=_("agenda item")
    )
    membership = models.ForeignKey(
        "governance.Membership", on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    reason = models.CharField(_("reason"), max_length=500)
    declared_at = models.DateTimeField(_("declared at"))

    class Meta:
        ordering = ["item", "declared_at", "id"]
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        constraints = [
            models.UniqueConstraint(fields=["item", "membership"], name="governance_recusal_once"),
        ]

    def __str__(self):
        return f"{self.item}: recusal of {self.membership_id}"


class Choice(models.TextChoices):
    FOR = "for", pgettext_lazy("vote", "for")
    AGAINST = "against", pgettext_lazy("vote", "against")
    ABSTAIN = "abstain", pgettext_lazy("vote", "abstain")


class BallotRound(models.Model):
    item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("agenda item")
    )
    number = models.PositiveSmallIntegerField(_("round"))
    opened_at = models.DateTimeField(_("opened at"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The result, set once when the round closes.
    outcome = models.CharField(_("outcome"), max_length=20, blank=True)
    quorum_met = models.BooleanField(_("quorum met"), null=True, blank=True)
    members = models.PositiveSmallIntegerField(_("members who may vote"), null=True, blank=True)
    present = models.PositiveSmallIntegerField(_("members present"), null=True, blank=True)
    recused = models.PositiveSmallIntegerField(_("members recused"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    steps = models.JSONField(
        _("the arithmetic"),
        default=dict,
        blank=True,
        help_text=_("Rendered sentences per language: en, kk, ru."),
    )

    class Meta:
        ordering = ["item", "number"]
        verbose_name = _("ballot round")
        verbose_name_plural = _("ballot rounds")
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="governance_round_number_once"),
        ]

    def __str__(self):
        return f"{self.item} round {self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None and BallotRound.objects.filter(pk=self.pk, closed_at__isnull=False).exists():
            raise ValidationError(_("A closed ballot round never changes: open a new round for a re-vote."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A ballot round is never deleted."))

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Ballot(models.Model):
    round = models.ForeignKey(
        BallotRound, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("round")
    )
    membership = models.ForeignKey(
        "governance.Membership", on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    choice = models.CharField(_("choice"), max_length=10, choices=Choice.choices)
    mode = models.CharField(_("mode"), max_length=20, choices=AttendanceMode.choices)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("cast by")
    )
    cast_at = models.DateTimeField(_("cast at"))

    class Meta:
        ordering = ["round", "cast_at", "id"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["round", "membership"], name="governance_ballot_once"),
        ]

    def __str__(self):
        return f"{self.round}: {self.membership_id} {self.choice}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise ValidationError(_("A ballot cannot be changed once cast."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A ballot cannot be deleted once cast."))


class ResolutionStatus(models.TextChoices):
    ADOPTED = "adopted", _("adopted")
    EXECUTED = "executed", _("executed")
    EXECUTION_FAILED = "execution_failed", _("execution failed")


class Resolution(models.Model):
    body = models.ForeignKey(
        "governance.Body", on_delete=models.PROTECT, related_name="resolutions", verbose_name=_("body")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"), help_text=_("Numbered per body and year."))
    item = models.OneToOneField(
        AgendaItem, on_delete=models.PROTECT, related_name="resolution", verbose_name=_("agenda item")
    )
    text_en = models.TextField(_("text (English)"))
    text_kk = models.TextField(_("text (Kazakh)"), blank=True)
    text_ru = models.TextField(_("text (Russian)"), blank=True)
    adopted_on = models.DateField(_("adopted on"))
    status = models.CharField(
        _("status"), max_length=20, choices=ResolutionStatus.choices, default=ResolutionStatus.ADOPTED
    )
    published = models.BooleanField(_("published"), default=False)

    class Meta:
        ordering = ["body", "year", "number"]
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "number"], name="governance_resolution_number_once"
            ),
        ]

    def __str__(self):
        return f"{self.body.code} {self.year}/{self.number}"

    def text(self, language: str) -> str:
        return localized(self.text_en, {"kk": self.text_kk, "ru": self.text_ru}, language)
