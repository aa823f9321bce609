"""Search and duplicate detection over names in both scripts, with derived name keys."""
