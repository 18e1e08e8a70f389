"""Zhenwu (镇务): integrated governance platform for township governments."""

from zhenwu.celery_app import app as celery_app

__all__ = ["celery_app"]
