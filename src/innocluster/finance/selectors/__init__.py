"""Reads of the finance app, shared by pages, the API, reports and other modules."""
