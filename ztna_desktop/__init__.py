"""ZTNA Desktop: Entra B2B guests and Sophos ZTNA access in one desktop app."""

__version__ = "0.1.0"
