"""Perennial V2.4 SDK: exact market math, simulator, devnet and client."""

__version__ = "0.1.0"
