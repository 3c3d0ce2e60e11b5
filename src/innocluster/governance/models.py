"""The Fund's bodies as regime data, and the people who sit on them.

A :class:`Body` belongs to a regime: the Board of Trustees of the 2014 law and that of the 2025
amendment are two rows, each existing from a date and possibly ending, so a change of the law
changes the bodies without a code change. The body's rules (quorum, default majority, abstentions,
casting vote, notice, absentee voting) sit on the row with their own reference: the sources are
silent on them, so they are design defaults an administrator may change per body.

A :class:`Membership` is one person's term on one body. Terms change only through
``services.members`` (validated, audited); ``term_end`` is the last day of the term.
"""

from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from innocluster.core.policy.models import SOURCES, Regime, localized


class Majority(models.TextChoices):
    SIMPLE_PRESENT = "simple_present", _("simple majority of the members present")
    ABSOLUTE_MEMBERS = "absolute_members", _("majority of all members")
    TWO_THIRDS_PRESENT = "two_thirds_present", _("two thirds of the members present")
    TWO_THIRDS_MEMBERS = "two_thirds_members", _("two thirds of all members")
    UNANIMITY_PRESENT = "unanimity_present", _("unanimity of the members present")


class Abstentions(models.TextChoices):
    PRESENT_NOT_FOR = "present_not_for", _("count as present, not as votes for")
    AGAINST = "against", _("count as votes against")
    EXCLUDED = "excluded", _("are left out of the count")


def parse_fraction(text: str) -> Fraction:
    """``"2/3"`` -> ``Fraction(2, 3)``; a quorum is a fraction above 0 and at most 1."""
    try:
        found = Fraction(str(text).strip())
    except (ValueError, ZeroDivisionError):
        raise ValidationError({"quorum": _("Write the quorum as a fraction, e.g. 2/3.")}) from None
    if not 0 < found <= 1:
        raise ValidationError({"quorum": _("The quorum must be above 0 and at most 1.")})
    return found


class Body(models.Model):
    code = models.SlugField(_("code"), max_length=30)
    regime = models.ForeignKey(Regime, on_delete=models.PROTECT, related_name="+", verbose_name=_("regime"))
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    chair_en = models.CharField(_("chair (English)"), max_length=200, blank=True)
    chair_kk = models.CharField(_("chair (Kazakh)"), max_length=200, blank=True)
    chair_ru = models.CharField(_("chair (Russian)"), max_length=200, blank=True)
    powers_en = models.TextField(_("powers (English)"), blank=True)
    powers_kk = models.TextField(_("powers (Kazakh)"), blank=True)
    powers_ru = models.TextField(_("powers (Russian)"), blank=True)
    exists_from = models.DateField(_("exists from"))
    exists_until = models.DateField(
        _("exists until"), null=True, blank=True, help_text=_("The first day it no longer exists.")
    )
    source = models.CharField(_("source"), max_length=10, choices=SOURCES, default="src")
    reference = models.CharField(_("legal reference"), max_length=500)
    reference_kk = models.CharField(_("legal reference (Kazakh)"), max_length=500, blank=True)
    reference_ru = models.CharField(_("legal reference (Russian)"), max_length=500, blank=True)
    # Its rules (defaults for its meetings; the sources are silent: design decisions).
    quorum = models.CharField(
        _("quorum"), max_length=10, default="2/3", help_text=_("A fraction of all members, e.g. 2/3.")
    )
    majority = models.CharField(
        _("default majority"), max_length=30, choices=Majority.choices, default=Majority.SIMPLE_PRESENT
    )
    abstentions = models.CharField(
        _("abstentions"), max_length=30, choices=Abstentions.choices, default=Abstentions.PRESENT_NOT_FOR
    )
    casting_vote = models.BooleanField(_("chair's casting vote on a tie"), default=True)
    notice_days = models.PositiveSmallIntegerField(_("notice period (calendar days)"), default=7)
    absentee_voting = models.BooleanField(_("absentee (written) voting allowed"), default=False)
    recused_count_for_quorum = models.BooleanField(
        _("members who recuse still count for the quorum"),
        default=False,
        help_text=_(
            "Off: a member who declares a conflict of interest on an item is left out of that item's "
            "quorum and vote. On: they still count as present for the quorum, but do not vote."
        ),
    )
    rules_source = models.CharField(
        _("source of the rules"), max_length=10, choices=SOURCES, default="design"
    )
    rules_reference = models.CharField(_("reference of the rules"), max_length=500, blank=True)
    rules_reference_kk = models.CharField(_("reference of the rules (Kazakh)"), max_length=500, blank=True)
    rules_reference_ru = models.CharField(_("reference of the rules (Russian)"), max_length=500, blank=True)

    class Meta:
        ordering = ["regime__code", "exists_from", "id"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        constraints = [
            models.UniqueConstraint(fields=["regime", "code", "exists_from"], name="governance_body_once"),
            models.CheckConstraint(
                condition=models.Q(exists_until__isnull=True)
                | models.Q(exists_until__gt=models.F("exists_from")),
                name="governance_body_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.name_en} ({self.regime_id and self.regime.code})"

    def text(self, field: str, language: str) -> str:
        """``field`` (``name``, ``chair``, ``powers``, ``reference``, ``rules_reference``) in
        ``language`` where written, else the English original."""
        return localized(
            getattr(self, f"{field}_en" if field in {"name", "chair", "powers"} else field),
            {"kk": getattr(self, f"{field}_kk"), "ru": getattr(self, f"{field}_ru")},
            language,
        )

    @property
    def quorum_fraction(self) -> Fraction:
        return parse_fraction(self.quorum)

    def exists_on(self, on) -> bool:
        return self.exists_from <= on and (self.exists_until is None or on < self.exists_until)


class Position(models.TextChoices):
    CHAIR = "chair", _("chair")
    DEPUTY = "deputy", _("deputy chair")
    SECRETARY = "secretary", _("secretary")
    MEMBER = "member", _("member")


class Membership(models.Model):
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("body")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("user account"),
        help_text=_("The member's account, when they use the system."),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    position = models.CharField(
        _("position"), max_length=20, choices=Position.choices, default=Position.MEMBER
    )
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(
        _("term ends"), null=True, blank=True, help_text=_("The last day of the term.")
    )
    end_reason = models.CharField(_("reason the term ended"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["body", "term_start", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True) | models.Q(term_end__gte=models.F("term_start")),
                name="governance_term_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.get_position_display()})"

    def current_on(self, on) -> bool:
        return self.term_start <= on and (self.term_end is None or on <= self.term_end)


# The meetings' models live in their own module (kept short); imported here so Django sees them.
from innocluster.governance.models_execution import Execution, ExecutionStatus  # noqa: E402
from innocluster.governance.models_meetings import (  # noqa: E402
    AgendaItem,
    Attendance,
    AttendanceMode,
    Ballot,
    BallotRound,
    Choice,
    ItemPaper,
    ItemStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Recusal,
    Resolution,
    ResolutionStatus,
)
from innocluster.governance.models_minutes import (  # noqa: E402
    Minutes,
    MinutesComment,
    MinutesItemNote,
    MinutesStatus,
)
from innocluster.governance.models_strategy import (  # noqa: E402
    Goal,
    Kpi,
    KpiManualValue,
    KpiTarget,
    KpiUnit,
    Strategy,
    StrategyVersion,
    VersionStatus,
)

__all__ = [
    "Abstentions",
    "AgendaItem",
    "Attendance",
    "AttendanceMode",
    "Ballot",
    "BallotRound",
    "Body",
    "Choice",
    "Execution",
    "ExecutionStatus",
    "Goal",
    "ItemPaper",
    "ItemStatus",
    "Kpi",
    "KpiManualValue",
    "KpiTarget",
    "KpiUnit",
    "Majority",
    "Meeting",
    "MeetingKind",
    "MeetingStatus",
    "Membership",
    "Minutes",
    "MinutesComment",
    "MinutesItemNote",
    "MinutesStatus",
    "Position",
    "Recusal",
    "Resolution",
    "ResolutionStatus",
    "Strategy",
    "StrategyVersion",
    "VersionStatus",
    "parse_fraction",
]
