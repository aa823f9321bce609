"""Closing an office and handing its registers over to another (communes merge)."""

from __future__ import annotations
