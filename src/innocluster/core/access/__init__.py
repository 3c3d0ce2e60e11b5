"""Who may do what: roles, object rules and the one entry point ``can(user, action, obj)``."""
