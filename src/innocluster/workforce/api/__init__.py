"""The workforce API (``/api/v1/workforce/...``), routed through the manifest."""
