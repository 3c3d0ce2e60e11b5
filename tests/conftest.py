import pytest


@pytest.fixture
def policy_loaded(db):
    """The shipped regimes and values, loaded through the service like a deployment does."""
    from innocluster.core.policy.services import load_defaults

    return load_defaults()
