"""What policy adds to the platform: the regimes themselves (``defaults.yaml``). Every app ships
its own dated keys in its own ``policy.yaml``."""

from innocluster.core.manifest import Manifest

MANIFEST = Manifest(policy=("defaults.yaml",), commands=("policy",), admin=("innocluster.core.policy.admin",))
