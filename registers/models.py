"""The register, the statistics and the dashboards are reads of the cases: registers has no table
of its own. Its migrations hold the history of the tables that moved to ``meetings``, ``refusals``
and ``timesheets`` (which keep the tables' names)."""
