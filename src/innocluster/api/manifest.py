"""What the API app adds: its own rows of the authorization table (``authorization.yaml``)."""

from innocluster.core.manifest import Manifest

MANIFEST = Manifest()
