"""Reads of the inbox shared by views (and later the API)."""

from django.db.models import QuerySet

from .models import Notification


def inbox(user) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
