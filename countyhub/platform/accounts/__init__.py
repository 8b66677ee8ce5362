"""People and machines: roles and the one permission table, users and passwords,
API keys, and the marshmallow schemas the API and the pages read them with."""
