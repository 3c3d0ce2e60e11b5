"""The grants app's API endpoints (mounted by the API app through the manifest)."""
