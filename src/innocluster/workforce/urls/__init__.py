"""The workforce pages' URLconfs (mounted by the manifest)."""
