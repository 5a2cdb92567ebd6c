"""Outgoing e-mail: rendered in the recipient's language, sent by the task worker after commit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from comptoir.notifications.tasks import deliver_email


def render_email(template: str, context: dict[str, Any], *, language: str) -> tuple[str, str, str]:
    """Render `<template>_subject.txt`, `.txt` and `.html` in `language`: (subject, text, html)."""
    with translation.override(language):
        full = {"site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", full).split())
        text = render_to_string(f"{template}.txt", full)
        html = render_to_string(f"{template}.html", full)
    return subject, text, html


def email_send(
    *, to: str, template: str, context: dict[str, Any], language: str = "fr", headers: dict[str, str] | None = None
) -> None:
    """Queue one e-mail; it leaves only if the surrounding transaction commits."""
    subject, text, html = render_email(template, context, language=language)
    transaction.on_commit(
        lambda: deliver_email.enqueue(to=to, subject=subject, text=text, html=html, headers=headers or {})
    )
