"""The web adapter: pages and a JSON API over the same use cases as the CLI."""
