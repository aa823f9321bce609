"""Data-quality figures of the registry: per office, province, batch and keyer."""
