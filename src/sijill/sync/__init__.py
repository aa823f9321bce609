"""The office network: journals pushed to the centre, notices pulled from it."""
