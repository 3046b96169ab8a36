"""LP vault strategies for Perennial V2.4."""
