"""Forms of the register's pages, by audience."""
