"""The back office of the register: the application queue and actions, register entries."""
