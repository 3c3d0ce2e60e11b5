"""Documents of a request: upload (checked by content, versioned, audited) while the employer may
still change the request (a draft, or returned for revision), and who may download a file.

The file checks are the register's (``registry.services.documents``: the type judged by the bytes,
a name that claims another type refused) under the same limits, ``registry.documents.max_megabytes``
and ``registry.documents.allowed_types``: one rule for every file the Fund receives.
"""

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from innocluster.core import files
from innocluster.core.access.permissions import can, require
from innocluster.core.audit.services import record_event
from innocluster.core.files import fingerprint, stored
from innocluster.core.policy import values as policy
from innocluster.core.uploads import (
    CONTENT_TYPES,
    SNIFF_SIZE,
    check_size,
    check_type,
    declared_size,
    detect_type,
)
from innocluster.workforce.models import DocumentKind, EngagementRequest, RequestDocument
from innocluster.workforce.selectors.requests import request_for
from innocluster.workforce.workflow import EDITABLE, WORKFLOW


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _check_state(request: EngagementRequest) -> None:
    if request.status not in EDITABLE:
        raise _refuse(
            _(
                "Documents are added to a draft or to a request returned for revision; this request is %(state)s."
            )
            % {"state": WORKFLOW.state_label(request.status)}
        )


def upload_document(request: EngagementRequest, kind_code: str, uploaded_file, *, by) -> RequestDocument:
    """File ``uploaded_file`` as the next version of the request's document of ``kind_code``.
    Raises ``PermissionDenied``, or a ``ValidationError`` on ``file`` (``kind`` for an unknown
    kind); a refused upload stores nothing."""
    require(by, "workforce.file", request)
    kind = DocumentKind.objects.filter(code=kind_code).first()
    if kind is None:
        raise ValidationError({"kind": _("There is no document kind %(code)s.") % {"code": kind_code}})
    _check_state(request)
    if not hasattr(uploaded_file, "chunks"):
        uploaded_file = File(uploaded_file)
    original_name = files.original_name(uploaded_file)
    today = policy.today()
    limit_mb = policy.value("registry.documents.max_megabytes", on=today)
    allowed = [str(code).lower() for code in policy.value("registry.documents.allowed_types", on=today)]
    check_size(original_name, declared_size(uploaded_file), limit_mb)
    found = fingerprint(uploaded_file, head_size=SNIFF_SIZE)
    if found.size == 0:
        raise _refuse(_("The file %(name)s is empty.") % {"name": original_name})
    check_size(original_name, found.size, limit_mb)
    code, description = detect_type(found.head, uploaded_file)
    check_type(original_name, code, description, allowed)

    with transaction.atomic():
        locked = EngagementRequest.objects.select_for_update().get(pk=request.pk)
        _check_state(locked)  # it may have been submitted while the file was read
        current = RequestDocument.objects.filter(request=locked, kind=kind).order_by("-version").first()
        if current is not None and current.sha256 == found.sha256:
            raise _refuse(
                _("The file %(name)s is already uploaded as %(current)s (version %(version)s).")
                % {"name": original_name, "current": current.original_name, "version": current.version}
            )
        document = RequestDocument(
            request=locked,
            kind=kind,
            version=(current.version if current else 0) + 1,
            original_name=original_name,
            content_type=CONTENT_TYPES[code],
            size=found.size,
            sha256=found.sha256,
            uploaded_by=by,
        )
        with stored(document.file, original_name, uploaded_file):
            document.save(force_insert=True)
            record_event(
                action="workforce.document.uploaded",
                actor=by,
                obj=locked,
                changes={
                    "document": [
                        None,
                        {
                            "kind": kind.code,
                            "version": document.version,
                            "name": original_name,
                            "sha256": found.sha256,
                            "size": found.size,
                        },
                    ]
                },
            )
    return document


def document_for_download(user, document_id, *, ip: str | None = None) -> RequestDocument:
    """The document, if ``user`` may see its request (the employer's side, or the Fund's readers
    once it is submitted, their reads audited); anyone else gets ``Http404``."""
    try:
        document = RequestDocument.objects.select_related("request", "kind").get(pk=document_id)
    except (RequestDocument.DoesNotExist, ValueError, TypeError):
        raise Http404(_("There is no such document.")) from None
    request = request_for(user, document.request_id)
    if request is None:
        raise Http404(_("There is no such document."))
    if can(user, "workforce.file", request).allowed:
        return document
    if request.status == EngagementRequest.Status.DRAFT:
        raise Http404(_("There is no such document."))
    record_event(
        action="workforce.document.downloaded",
        actor=user,
        obj=request,
        changes={
            "document": [
                None,
                {"kind": document.kind.code, "version": document.version, "sha256": document.sha256},
            ]
        },
        ip=ip,
    )
    return document
