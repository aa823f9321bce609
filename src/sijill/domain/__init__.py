"""The civil status domain: acts, registers, mentions, names, calendars and rules.

Pure Python: nothing here reads a file, a database or the network.
"""
