"""Reads of an application's documents: what its category must provide under the policy in force,
and the latest version of each kind it has."""

from datetime import date

from django.db.models import OuterRef, Subquery

from innocluster.core.policy import values as policy
from innocluster.core.policy.formulas import formula
from innocluster.registry.models import Application, ApplicationDocument, DocumentKind, ParticipantCategory


def required_kinds(application: Application, on: date | None = None) -> list[DocumentKind]:
    """The kinds the application's category must provide under ``registry.documents.required`` on
    ``on`` (default today in Almaty), in the policy's order.

    ``*`` stands for every organisation category; an individual's category takes only the entries
    written for it, since a person has no charter or state registration.
    """
    return kinds_for(application.category, on or policy.today())


def kinds_for(category: ParticipantCategory, on: date, regime: str | None = None) -> list[DocumentKind]:
    """The kinds ``category`` must provide under ``registry.documents.required`` on ``on``."""
    entries = policy.value("registry.documents.required", on=on, regime=regime)
    individual = category.kind == ParticipantCategory.Kind.INDIVIDUAL
    codes: list[str] = []
    for entry in entries:
        who, separator, code = str(entry).partition(":")
        if not separator or not code:
            raise policy.PolicyError(f"registry.documents.required: {entry!r} is not category:document")
        applies = (
            who in (category.code, ParticipantCategory.Kind.INDIVIDUAL)
            if individual
            else who in ("*", category.code)
        )
        if applies and code not in codes:
            codes.append(code)
    kinds = DocumentKind.objects.in_bulk(codes, field_name="code")
    unknown = [code for code in codes if code not in kinds]
    if unknown:
        # A rule naming a kind nobody can upload would block every application: say so, loudly.
        raise policy.PolicyError(f"registry.documents.required names unknown document kinds: {unknown}")
    return [kinds[code] for code in codes]


@formula("registry.required_documents")
def required_documents_formula(*, category: str, on: date, regime: str | None = None) -> list[str]:
    """Law cases: the document kind codes an applicant of ``category`` uploads, in order."""
    found = ParticipantCategory.objects.get(code=category)
    return [kind.code for kind in kinds_for(found, on, regime=regime)]


def current_documents(application: Application) -> dict[str, ApplicationDocument]:
    """The latest version of each kind the application has, by kind code, with its kind and who
    uploaded it (one query)."""
    latest = (
        ApplicationDocument.objects.filter(application=OuterRef("application"), kind=OuterRef("kind"))
        .order_by("-version")
        .values("version")[:1]
    )
    documents = ApplicationDocument.objects.filter(
        application=application, version=Subquery(latest)
    ).select_related("kind", "uploaded_by")
    return {document.kind.code: document for document in documents}


def missing_documents(application: Application, on: date | None = None) -> list[DocumentKind]:
    """The required kinds the application has no file of yet."""
    have = current_documents(application)
    return [kind for kind in required_kinds(application, on=on) if kind.code not in have]
