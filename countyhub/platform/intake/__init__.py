"""How parcels enter the registry: registration one by one or in batches, the
registrar and its store, manifest files and their imports with row-level
problems."""
