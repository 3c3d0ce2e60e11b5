"""Papers for agenda items: uploads checked by their bytes (the registry's size and types), filed
once per item with their SHA-256, audited; a refused upload stores nothing."""

from django.db import transaction
from django.utils.translation import gettext as _

from innocluster.core import files
from innocluster.core.access.permissions import require
from innocluster.core.audit.services import record_event
from innocluster.core.files import fingerprint, stored
from innocluster.core.policy import values as policy
from innocluster.core.uploads import SNIFF_SIZE, check_size, check_type, declared_size, detect_type
from innocluster.governance.models import AgendaItem, ItemPaper
from innocluster.governance.services.meetings import RUN, check_meeting_open, refuse


def attach_paper(item: AgendaItem, uploaded_file, *, by) -> ItemPaper:
    """File a paper for ``item``; the same content twice for one item is refused (``file``)."""
    meeting = item.meeting
    require(by, RUN, meeting.body)
    check_meeting_open(meeting)
    original_name = files.original_name(uploaded_file)
    today = policy.today()
    limit_mb = policy.value("registry.documents.max_megabytes", on=today)
    allowed = [str(code).lower() for code in policy.value("registry.documents.allowed_types", on=today)]
    check_size(original_name, declared_size(uploaded_file), limit_mb)
    found = fingerprint(uploaded_file, head_size=SNIFF_SIZE)
    if found.size == 0:
        refuse("file", _("The file %(name)s is empty.") % {"name": original_name})
    check_size(original_name, found.size, limit_mb)
    code, description = detect_type(found.head, uploaded_file)
    check_type(original_name, code, description, allowed)
    with transaction.atomic():
        locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
        existing = ItemPaper.objects.filter(item=locked, sha256=found.sha256).first()
        if existing is not None:
            refuse(
                "file",
                _("This file is already a paper of the item, as %(name)s.")
                % {"name": existing.original_name},
            )
        paper = ItemPaper(
            item=locked, sha256=found.sha256, original_name=original_name, size=found.size, uploaded_by=by
        )
        with stored(paper.file, original_name, uploaded_file):
            paper.save(force_insert=True)
            record_event(
                action="governance.paper.attached",
                actor=by,
                obj=locked,
                changes={
                    "paper": [None, {"name": original_name, "sha256": found.sha256, "size": found.size}]
                },
            )
    return paper
