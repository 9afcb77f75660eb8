"""Views of registers, by topic: the register and its exports, meetings, inspections, monitoring,
time accounting, dashboards."""
