"""The demo county: depots, users, a fleet, synthetic parcels moved along their
life by the real services, and realistic addresses for benchmarks."""
