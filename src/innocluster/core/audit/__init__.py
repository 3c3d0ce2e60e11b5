"""Append-only business events sealed into an HMAC chain (see ARCHITECTURE: Audit log)."""
