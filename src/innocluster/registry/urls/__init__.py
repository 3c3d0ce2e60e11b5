"""URL configurations of the register: public, portal and staff, mounted by the root URLconf."""
