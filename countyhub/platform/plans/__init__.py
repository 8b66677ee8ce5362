"""The day's village runs: a plan made from the database, the dispatcher's pins,
the county's cycle of visits, publishing, the results sheet and recording what the
runs did."""
