"""The road graph and the planner (its issue builds it). Pure: no database, no Flask."""
