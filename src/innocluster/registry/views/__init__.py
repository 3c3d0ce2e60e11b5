"""The register's pages, thin: they read through selectors and act through services.
``public`` is the open register, ``portal`` the participant's own pages, ``staff`` the back office."""
