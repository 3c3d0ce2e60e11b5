"""A decision record's fields as a test would fill them in; override what the test is about."""

from datetime import date


def decision_fields(**overrides):
    values = {
        "body": "selection_commission",
        "body_name": "Selection commission of the autonomous cluster fund",
        "number": "12",
        "decided_on": date(2025, 4, 2),
        "basis": "Rules of participant registration approved by the Managing Committee, item 14",
        "outcome": "approved",
        "summary": "Register TechNomad LLP as a participant.",
    }
    values.update(overrides)
    return values
