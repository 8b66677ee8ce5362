"""The data platform: model, database, services."""
