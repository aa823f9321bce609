"""Vital statistics for the High Commission for Planning, computed from the registry.

Every figure is an SQL aggregation over the acts themselves (SQLite or PostgreSQL);
nothing is kept in a second copy. ``service`` is the use case (authorization, privacy,
audit); ``exports`` and ``charts`` turn a tabulation into files.
"""
