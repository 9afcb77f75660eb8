"""Notifications (powiadomienia, issue 17.7): what waits for a member of staff, in the application
and – optionally – in a daily e-mail digest.

A notice carries a fixed sentence and the case number, never a name or a case's content: the
digest leaves the intranet, and the in-app text is the same sentence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("nowa sprawa do przyjęcia")
        MOVE = "move", _("sprawa przenoszona do Twojego rejonu")
        OPINION = "opinion", _("wniosek o asystenta czeka na opinię")
        DECISION = "decision", _("wniosek o asystenta czeka na decyzję")
        DECIDED = "decided", _("decyzja w sprawie Twojego wniosku")
        DEADLINE_SOON = "deadline_soon", _("termin jutro")
        DEADLINE_PASSED = "deadline_passed", _("termin minął")
        COVER = "cover", _("zastępstwo")
        URGENT = "urgent", _("pilne: wpis asystenta rodziny")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("rodzaj"), max_length=20, choices=Kind.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    text = models.CharField(_("treść"), max_length=300)
    url = models.CharField(max_length=300, blank=True)
    # Once per recipient and key: a deadline's notice is not repeated by every nightly run.
    key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(_("utworzono"), auto_now_add=True)
    read_at = models.DateTimeField(_("przeczytano"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("powiadomienie")
        verbose_name_plural = _("powiadomienia")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], condition=~models.Q(key=""), name="notice_once")
        ]
        # The menu's unread count on every page, and the digest's unsent ones.
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notice_unread_idx"),
            models.Index(fields=["emailed_at", "recipient"], name="notice_digest_idx"),
        ]

    def __str__(self) -> str:
        return self.text
