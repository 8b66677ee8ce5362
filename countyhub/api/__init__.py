"""The REST API (flask-smorest blueprints)."""
