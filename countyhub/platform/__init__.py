"""The data platform: the model, the services and the plumbing under them.

Plumbing at the top: ``db`` (engine, ``Base``, time types), ``config`` (settings),
``errors`` (domain errors, no HTTP), ``privacy`` (masking), ``idempotency``,
``schema`` (Alembic upgrade and check), ``schema_rules`` (shared marshmallow
rules), ``migrations/`` and ``data/`` (the default county's files).

The areas, each a layer above the next (import-linter checks it): ``demo`` >
``stats`` > ``plans`` > ``intake`` > ``parcels`` > ``county`` > ``accounts`` >
``models``.  Services take the session and the acting user and only flush; the
entry point (a request, a command) owns the transaction.  Who may do what is
``accounts.roles``.  Nothing here imports Flask.
"""
