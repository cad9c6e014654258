"""factdesk: an offline fact-check workstation for journalists."""

__version__ = "0.1.0"
