"""Network stability monitoring: probe targets, agents, results, rollups, outages, the gate.

The probe agent (``jangkau.agent``) uploads results through the ingest API; a background task
rolls them up, records outages and gate changes as rows, and sends alerts. Statistics come from
the pure core ``jangkau.cores.probes``. See ``docs/monitoring.md``.
"""
