"""Rules as code: regimes and dated policy parameters with their legal references."""

from .registry import NoValueInForce, value  # noqa: F401
