"""A centre from nothing: the institution and its first account, the system administrator.

manage.py centre_setup --name "Miejsko-Gminny Ośrodek Pomocy Społecznej w Łasku" --short-name "MGOPS Łask" \\
    --city Łask --address "ul. Warszawska 14, 98-100 Łask" --username admin.lask --first-name Jan --last-name Nowak

The password is asked twice (or read from MOPR_ADMIN_PASSWORD where nobody types, e.g. a deployment
script). Then: log in, set up the second factor (the role requires it), and open *Ustawienia ośrodka*.
"""

import getpass
import os

from django.core.management.base import BaseCommand, CommandError

from mopr.errors import DomainError
from mopr.services import centre_create


class Command(BaseCommand):
    help = "Nowy ośrodek i jego pierwsze konto: administrator systemu."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="pełna nazwa ośrodka")
        parser.add_argument("--short-name", required=True, help="nazwa skrócona, np. MGOPS Łask")
        parser.add_argument("--city", required=True, help="miejscowość (na wydrukach)")
        parser.add_argument("--address", required=True, help="adres siedziby")
        parser.add_argument("--username", required=True, help="login administratora")
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--last-name", required=True)
        parser.add_argument("--django-admin", action="store_true",
                            help="konto może też otwierać panel Django (/admin/): rejony i pracowników")  # fmt: skip

    def handle(self, *args, **o):
        password = os.environ.get("MOPR_ADMIN_PASSWORD") or self._ask()
        try:
            institution, user = centre_create(
                name=o["name"], short_name=o["short_name"], city=o["city"], address=o["address"],
                username=o["username"], first_name=o["first_name"], last_name=o["last_name"], password=password,
                django_admin=o["django_admin"],
            )  # fmt: skip
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(f"Utworzono ośrodek {institution.short_name} i konto {user.username}."))
        self.stdout.write("Dalej: zaloguj się, ustaw drugi składnik logowania i otwórz „Ustawienia ośrodka”.")

    def _ask(self) -> str:
        first = getpass.getpass("Hasło administratora: ")
        if first != getpass.getpass("Powtórz hasło: "):
            raise CommandError("Hasła się różnią – niczego nie zmieniono.")
        return first
