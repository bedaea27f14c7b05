"""Question types as plugins: one file per type, registered in registry.py."""
