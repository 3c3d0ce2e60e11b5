"""Keep a register entry's names in step with its member's record, and the search index in place.

``Participant.display_name`` and ``search_text`` copy the member's names (for sorting and for the
search index). The member models belong to whichever app owns organisations and individuals, and
that app must not know the register, so the register listens: after a member is saved with a name
changed, one UPDATE refreshes its entry (none if the member is not in the register), in the same
transaction. The senders are read from ``Participant``'s own foreign keys, so the receivers follow
the models wherever they live. ``QuerySet.update``/``bulk_update`` send no signal: rename members
through their service.
"""

from django.db import connections
from django.db.models.signals import post_migrate, post_save

from innocluster.registry import search
from innocluster.registry.models import Participant, RegisterTally, search_text_for

NAME_FIELDS = {
    "organisation": {"name_kk", "name_ru", "name_en"},
    "individual": {"last_name", "first_name", "middle_name"},
}


def _refresh_entry(kind: str):
    def receiver(sender, instance, created, update_fields=None, raw=False, **kwargs):
        if created or raw or (update_fields is not None and not NAME_FIELDS[kind] & set(update_fields)):
            return
        organisation = instance if kind == "organisation" else None
        individual = instance if kind == "individual" else None
        Participant.objects.filter(**{kind: instance}).update(
            display_name=instance.name_ru if organisation is not None else individual.name,
            search_text=search_text_for(organisation, individual),
        )

    return receiver


_receivers = {kind: _refresh_entry(kind) for kind in NAME_FIELDS}


def _ensure_search_index(sender, using="default", **kwargs):
    """After ``migrate``: put the search index and the tally triggers back if a migration dropped them."""
    search.ensure(connections[using], Participant._meta.db_table, RegisterTally._meta.db_table)


def connect(app_config) -> None:
    """Called from ``RegistryConfig.ready``."""
    for kind, receiver in _receivers.items():
        sender = Participant._meta.get_field(kind).related_model
        post_save.connect(receiver, sender=sender, dispatch_uid=f"registry.refresh_entry.{kind}")
    post_migrate.connect(_ensure_search_index, sender=app_config, dispatch_uid="registry.ensure_search_index")
