"""Every write of the register, one function per business action, used alike by the pages, the API
and the command line (ARCHITECTURE: commands). Selectors never import from here."""
