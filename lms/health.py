"""Health checks reported by /healthz: the database, the Celery broker, the last worker beat."""

from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection

from lms.celery import app
from lms.models import WorkerHeartbeat


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return Check("database", False, f"unreachable: {type(exc).__name__}")
    return Check("database", True, connection.vendor)


def check_broker() -> Check:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return Check("broker", True, "none: tasks run eagerly in the web process")
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001 - kombu raises many transport-specific errors
        return Check("broker", False, f"unreachable: {type(exc).__name__}")
    return Check("broker", True, app.connection_for_write().transport_cls)


def last_worker_heartbeat() -> WorkerHeartbeat | None:
    try:
        return WorkerHeartbeat.objects.order_by("-seen_at").first()
    except DatabaseError:
        return None
