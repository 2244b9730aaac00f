"""The city's reference data: units, mission groups, dimensions (policies come from plans)."""
