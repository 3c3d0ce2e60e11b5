"""``/api/v1/levy/...``: contracts, declarations and obligations as data (routes in ``manifest.py``).
Staff who read the levy see everything; a subsoil user's representative sees only its companies'
rows (another company's is not found, 404) and files declarations for them."""
