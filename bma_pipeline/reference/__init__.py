"""Reference data: mission groups, dimensions, units, policies, KPIs, assignments, targets."""
