from innocluster.core.policy import values
from innocluster.core.policy.formulas import formula


@formula("throwaway.limit_doubled")
def limit_doubled(*, on, regime=None):
    return 2 * values.value("throwaway.limit", on=on, regime=regime)
