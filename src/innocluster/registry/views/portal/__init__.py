"""The participant portal: applications, and the organisations the user acts for."""
