"""Audit events and the chain that seals them.

Rows are inserted by any transaction without a global lock and carry a ``row_mac`` over their own
content (so a row inserted with raw SQL cannot be sealed into the chain). The sealer later assigns
``seq`` and ``mac`` in order, chaining each row to the previous one; checkpoints record the chain's
state so that deleting the newest rows is detected too.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The actor as text at the time of the event: survives renames and anonymous/system actors.
    actor_repr = models.CharField(_("actor"), max_length=200)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    row_mac = models.CharField(max_length=64)
    seq = models.BigIntegerField(null=True, blank=True, unique=True)
    prev_mac = models.CharField(max_length=64, blank=True)
    mac = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "id"])]

    def __str__(self):
        return f"#{self.pk} {self.action} {self.object_repr}"


class ChainHead(models.Model):
    """The single row holding the chain's last sealed position (id is always 1)."""

    last_seq = models.BigIntegerField(default=0)
    last_event_id = models.BigIntegerField(default=0)
    last_mac = models.CharField(max_length=64, blank=True)
    head_mac = models.CharField(max_length=64, blank=True)
    sealed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"audit chain head at seq {self.last_seq}"


class Checkpoint(models.Model):
    """A sealed snapshot of the chain's end; exported copies anchor it outside the database."""

    created_at = models.DateTimeField()
    seq = models.BigIntegerField(unique=True)
    event_id = models.BigIntegerField()
    mac = models.CharField(max_length=64)
    checkpoint_mac = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self):
        return f"checkpoint at seq {self.seq}"
