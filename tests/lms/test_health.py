"""/healthz reports the database and the broker."""

import os

import pytest
from django.urls import reverse

from lms.celery import app
from lms.services import record_worker_heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(settings):
    """Point the app at a broker for one test, as a deployment with CELERY_BROKER_URL would."""

    def use(url: str) -> None:
        settings.CELERY_TASK_ALWAYS_EAGER = False
        app.conf.broker_url = url

    previous = app.conf.broker_url
    yield use
    app.conf.broker_url = previous


@pytest.mark.smoke
def test_healthz_is_ok_with_eager_tasks(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"]
    assert body["broker"]["ok"]
    assert "eagerly" in body["broker"]["detail"]
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_reaches_a_real_redis_broker(client, broker):
    broker(os.environ["TEST_CELERY_BROKER_URL"])
    body = client.get(reverse("healthz")).json()
    assert body["broker"] == {"ok": True, "detail": "redis"}


def test_healthz_is_503_when_the_broker_is_down(client, broker):
    broker("redis://127.0.0.1:1/0")
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["broker"]["ok"] is False
    assert body["database"]["ok"] is True


def test_healthz_reports_the_last_worker_heartbeat(client):
    beat = record_worker_heartbeat(hostname="worker-1")
    assert client.get(reverse("healthz")).json()["worker_last_seen"] == beat.seen_at.isoformat()
