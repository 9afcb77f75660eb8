"""Every write of registers, by topic: meetings, inspections, monitoring (seed 003), time (seed 004)."""
