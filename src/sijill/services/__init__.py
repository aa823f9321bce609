"""Use cases: one function each, one transaction each, taking the actor who calls it."""
