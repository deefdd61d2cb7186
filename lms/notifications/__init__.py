"""Notifications: what happened that concerns a person, kept in an in-app centre and e-mailed
by their choice (each one, a daily or weekly digest, or not at all), per kind.

Apps register their kinds in ``ready()`` (``register_notification_kind``) and tell a person of
an event with ``notify`` (both through ``lms.api``); ``notify`` takes the same e-mail template
as ``lms.api.send_templated_email``.
"""
