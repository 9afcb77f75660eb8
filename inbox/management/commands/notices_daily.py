"""The morning run of the notifications, for cron or a systemd timer (issue 17.7):

    python manage.py notices_daily [--no-email]

1. a notice of every deadline due tomorrow and of every one that has passed (once each);
2. the e-mail digest to whoever asked for it: case numbers and links, never names or content
   (e-mail leaves the intranet). Needs SITE_URL and, in production, SMTP (README).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from inbox.services import deadline_notices, digest_send


class Command(BaseCommand):
    help = "Powiadomienia o terminach (jutro, minione) i codzienne podsumowanie e-mailem."

    def add_arguments(self, parser):
        parser.add_argument("--no-email", action="store_true", help="Bez wysyłki podsumowań e-mailem.")

    def handle(self, *args, no_email: bool, **options):
        written = deadline_notices()
        self.stdout.write(f"Powiadomienia o terminach: {written}.")
        if no_email:
            return
        if not settings.SITE_URL:
            raise CommandError("Ustaw SITE_URL (adres aplikacji w intranecie), aby wysyłać odnośniki e-mailem.")
        self.stdout.write(f"Wysłane podsumowania e-mailem: {digest_send()}.")
