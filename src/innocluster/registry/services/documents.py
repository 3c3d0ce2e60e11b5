"""Documents of applications: upload (checked by content, versioned, audited), what a category
must provide under the policy in force, and who may download a file.

A re-upload of a kind is a new version; no version is ever deleted, so what the moderator and the
commission saw stays on file. The file type is judged by the bytes, never by the name: a name that
claims another type is refused, because staff open these files on their own machines.
"""

from datetime import date

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
from innocluster.core.policy.formulas import formula
from innocluster.core.uploads import (
    CONTENT_TYPES,
    SNIFF_SIZE,
    TYPE_NAMES,
    check_size,
    check_type,
    declared_size,
    detect_type,
)
from innocluster.registry.models import Application, ApplicationDocument, DocumentKind
from innocluster.registry.permissions import acts_for_application
from innocluster.registry.selectors.documents import (  # noqa: F401  (re-exported for services)
    current_documents,
    missing_documents,
    required_kinds,
)

SIGNED_AGREEMENT = "signed_agreement"


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _check_state(application: Application, kind_code: str) -> None:
    """The signed agreement belongs to an approved application; every other document to one the
    applicant is still writing (a draft, or returned for revision)."""
    state = application.get_status_display()
    if kind_code == SIGNED_AGREEMENT:
        if application.status != Application.Status.APPROVED:
            raise _refuse(
                _("The signed agreement is uploaded once the application is approved; it is %(state)s.")
                % {"state": state}
            )
    elif application.status not in (Application.Status.DRAFT, Application.Status.RETURNED):
        raise _refuse(
            _(
                "Documents are added to a draft or to an application returned for revision; "
                "this application is %(state)s."
            )
            % {"state": state}
        )


def upload_limits(on: date, regime: str | None = None) -> tuple[int, list[str]]:
    """The largest file (MB) and the accepted type codes for an upload on ``on``."""
    limit_mb = policy.value("registry.documents.max_megabytes", on=on, regime=regime)
    allowed = [
        str(code).lower() for code in policy.value("registry.documents.allowed_types", on=on, regime=regime)
    ]
    return int(limit_mb), allowed


@formula("registry.documents.accepts")
def accepts_formula(*, name: str, size: int, content: str, on: date, regime: str | None = None) -> bool:
    """Law cases: is a file called ``name`` of ``size`` bytes whose content is of type ``content``
    (as detected from its bytes) accepted on ``on``? A refusal raises ``ValidationError``."""
    limit_mb, allowed = upload_limits(on, regime=regime)
    check_size(name, size, limit_mb)
    check_type(name, content, TYPE_NAMES.get(content, content), allowed)
    return True


def upload_document(application: Application, kind_code: str, uploaded_file, *, by) -> ApplicationDocument:
    """File ``uploaded_file`` as the next version of the application's document of ``kind_code``.

    Only the applicant uploads, and only while the application is theirs to change. The size and
    type limits are the policy in force today in Almaty. Raises ``PermissionDenied`` or a
    ``ValidationError`` on ``file`` (``kind`` for an unknown kind); a refused upload stores nothing.
    """
    require(by, "registry.application.submit", application)
    kind = DocumentKind.objects.filter(code=kind_code).first()
    if kind is None:
        raise ValidationError({"kind": _("There is no document kind %(code)s.") % {"code": kind_code}})
    _check_state(application, kind.code)
    if not hasattr(uploaded_file, "chunks"):
        uploaded_file = File(uploaded_file)
    original_name = files.original_name(uploaded_file)

    limit_mb, allowed_types = upload_limits(policy.today())

    # The size the upload declares is refused before a byte is read; the bytes counted below are
    # the second guard (a file object may claim less than it holds).
    check_size(original_name, declared_size(uploaded_file), limit_mb)
    found = fingerprint(uploaded_file, head_size=SNIFF_SIZE)
    sha256, size, head = found.sha256, found.size, found.head
    if size == 0:
        raise _refuse(_("The file %(name)s is empty.") % {"name": original_name})
    check_size(original_name, size, limit_mb)
    code, description = detect_type(head, uploaded_file)
    check_type(original_name, code, description, allowed_types)

    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        _check_state(locked, kind.code)  # it may have been submitted while the file was read
        current = (
            ApplicationDocument.objects.filter(application=locked, kind=kind).order_by("-version").first()
        )
        if current is not None and current.sha256 == sha256:
            raise _refuse(
                _("The file %(name)s is already uploaded as %(current)s (version %(version)s).")
                % {"name": original_name, "current": current.original_name, "version": current.version}
            )
        document = ApplicationDocument(
            application=locked,
            kind=kind,
            version=(current.version if current else 0) + 1,
            original_name=original_name,
            content_type=CONTENT_TYPES[code],
            size=size,
            sha256=sha256,
            uploaded_by=by,
        )
        # From here a stored file exists; any failure removes it so a refusal leaves nothing behind.
        with stored(document.file, original_name, uploaded_file):
            document.save(force_insert=True)
            record_event(
                action="registry.document.uploaded",
                actor=by,
                obj=locked,
                changes={
                    "document": [
                        None,
                        {
                            "kind": kind.code,
                            "version": document.version,
                            "name": original_name,
                            "sha256": sha256,
                            "size": size,
                        },
                    ]
                },
            )
    return document


def document_for_download(user, document_id, *, ip: str | None = None) -> ApplicationDocument:
    """The document, if ``user`` may read it: who acts for the application
    (``permissions.acts_for_application``), or staff who read applications (whose reads are
    audited) once it is submitted: a draft's files are the applicant's alone. Anyone else gets
    ``Http404``, as if the file did not exist."""
    try:
        document = ApplicationDocument.objects.select_related("application", "kind").get(pk=document_id)
    except (ApplicationDocument.DoesNotExist, ValueError, TypeError):
        raise Http404(_("There is no such document.")) from None
    application = document.application
    if getattr(user, "is_authenticated", False) and acts_for_application(user, application):
        return document
    if application.status == Application.Status.DRAFT:
        raise Http404(_("There is no such document."))
    if can(user, "registry.application.read", application):
        record_event(
            action="registry.document.downloaded",
            actor=user,
            obj=application,
            changes={
                "document": [
                    None,
                    {
                        "kind": document.kind.code,
                        "version": document.version,
                        "name": document.original_name,
                        "sha256": document.sha256,
                    },
                ]
            },
            ip=ip,
        )
        return document
    raise Http404(_("There is no such document."))
