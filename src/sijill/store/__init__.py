"""Storage: tables, migrations, the unit of work, the journal writer, the key store."""
