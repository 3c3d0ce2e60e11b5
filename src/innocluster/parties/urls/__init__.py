"""URL configurations of parties: staff pages and the portal's claims page."""
