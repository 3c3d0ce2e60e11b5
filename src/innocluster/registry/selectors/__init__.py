"""Reads of the register, shared by the pages, the API, exports and reports. They never import
services, so a read can never change anything."""
