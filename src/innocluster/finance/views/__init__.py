"""The finance staff pages: thin views over the finance commands and selectors."""
