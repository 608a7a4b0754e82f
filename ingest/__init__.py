"""ASEAN e-commerce law repository: load, validate and build the law records."""

__version__ = "0.1.0"
