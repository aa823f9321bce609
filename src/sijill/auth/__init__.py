"""Sign-in: accounts with Argon2 passwords and TOTP, web sessions, machine tokens."""
