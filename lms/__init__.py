"""The Practica Django project: settings, URLs, Celery app, User model and site shell."""

from lms.celery import app as celery_app

__all__ = ["celery_app"]
