"""Rules as code: regimes and dated policy parameters with their legal references."""

from .values import NoValueInForce, value  # noqa: F401
