"""The document kinds the rules name survive a flush: a test that empties the database (a browser
test, ``transaction=True``) used to take the initial migration's rows with it, and every later
workforce test in that process failed with "unknown document kinds"."""

import pytest
from django.core.management.sql import emit_post_migrate_signal

from innocluster.core.policy import values as policy
from innocluster.workforce.models import DocumentKind
from innocluster.workforce.services.reference import load_document_kinds

pytestmark = pytest.mark.django_db


def test_the_kinds_come_back_after_a_flush(policy_loaded):
    codes = set(policy.value("workforce.documents.required"))
    assert codes <= set(DocumentKind.objects.values_list("code", flat=True))
    DocumentKind.objects.all().delete()  # what a flush does to them
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # and what follows it
    assert codes <= set(DocumentKind.objects.values_list("code", flat=True))


def test_loading_keeps_what_an_administrator_changed(policy_loaded):
    kind = DocumentKind.objects.get(code="passport_copy")
    DocumentKind.objects.filter(pk=kind.pk).update(name_en="Passport (all pages)")
    assert load_document_kinds() == 0
    assert DocumentKind.objects.get(code="passport_copy").name_en == "Passport (all pages)"
