"""The old name of :mod:`innocluster.core.policy.values`, kept only while branches that still
import it are merged; import ``values`` instead. Remove once nothing imports this module."""

from .values import *  # noqa: F403
from .values import (  # noqa: F401  # noqa: F401
    ALMATY,
    InForce,
    NoValueInForce,
    PolicyError,
    UnknownRegime,
    active_regime_code,
    lookup,
    today,
    typed,
    value,
)
