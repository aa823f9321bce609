"""The roll-out: offices brought into service, followed, merged."""
