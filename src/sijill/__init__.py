"""Sijill — the national civil status registry."""
