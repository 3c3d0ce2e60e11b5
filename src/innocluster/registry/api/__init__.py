"""The register's API endpoints (mounted by the API app): the public register and applications."""
