"""Writes of parties: reference data, organisations and individuals, representatives and claims of
authority. Every write is validated, in a transaction and audited."""
