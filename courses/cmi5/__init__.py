"""cmi5 course packages: reading and validating course structures and zips (cmi5 §13, §14)."""
