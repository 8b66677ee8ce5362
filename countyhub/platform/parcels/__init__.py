"""A parcel's life: statuses and legal steps, scans, the registry (find, list,
show, assign a point), public tracking, and who may see and change which parcel."""
