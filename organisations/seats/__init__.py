"""Paid seats: pools, assignment, activation on enrolment, release, revocation, renewal."""
