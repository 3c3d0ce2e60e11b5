"""The levy's pages: the Fund's staff under ``/staff/levy/`` (``staff.py``) and a subsoil user's
representative under ``/portal/levy/`` (``portal.py``). Thin views over the levy's services and
selectors; ``common.py`` holds what both (and the API) share: who sees which organisation's data."""
