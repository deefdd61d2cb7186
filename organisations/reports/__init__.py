"""Team and organisation reports: ``data`` builds frozen dataclasses from the database in a fixed
number of queries; ``render`` turns them into CSV, XLSX and PDF without touching the database."""
