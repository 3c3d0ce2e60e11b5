"""Kazakh working days (placeholder replaced by the calendar work)."""
