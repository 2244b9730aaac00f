"""Apache Superset tooling: the dashboard's definition (`bundle`), provisioning a running
Superset over its REST API (`provision`) and turning the definition into Superset's own export
(`export`), which is what `bi/superset/bundle/` holds."""
