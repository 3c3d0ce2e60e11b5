"""The levy's HTML mounts (``manifest.py``): ``staff.py`` at ``/staff/levy/``, ``portal.py`` at
``/portal/levy/``."""
