"""The workforce pages: the employer's portal (``portal.py``) and the HR officer's (``staff.py``)."""
