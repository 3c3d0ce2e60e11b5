"""Reads of the levy for views, the API, reports, notices and the matcher. Never imports services."""
