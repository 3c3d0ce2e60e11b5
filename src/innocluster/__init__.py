"""innocluster: software for an innovation cluster run by an autonomous cluster fund."""

__version__ = "0.1.0"
