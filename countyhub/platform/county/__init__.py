"""The county: its gazetteer (townships, villages), service points and their
coordinates and cadences, the address resolver, and the reference data (couriers,
depots, vehicles) everyone reads and the admin keeps."""
