import pytest


@pytest.fixture
def bodies_loaded(policy_loaded):
    """The shipped regimes and the bodies of each, loaded like a deployment does."""
    from innocluster.governance.services.bodies import load_bodies

    return load_bodies()


@pytest.fixture
def committee(bodies_loaded):
    """The Managing Committee of the amended law (astana-hub-2025, from 2025-10-10)."""
    from innocluster.governance.models import Body

    return Body.objects.get(code="managing_committee", regime__code="astana-hub-2025")


@pytest.fixture
def board(bodies_loaded):
    from innocluster.governance.models import Body

    return Body.objects.get(code="board_of_trustees", regime__code="astana-hub-2025")
