"""Issue 9: the load test – 20 users at once, a mixed day's work, against gunicorn on loopback.

Run it with ``make loadtest`` (``loadtest/run`` starts gunicorn on 127.0.0.1:8765 against the bench
database, runs ``locust --headless -u 20 -r 5 -t 60s`` and stops gunicorn). The users are the
bench filler's (bench/data.py): social workers and coordinators of the RPŚ, all with the
bench password and no TOTP (the bench institution requires none; production keeps the default).
Every login is a correct one, so django-axes never locks anyone out.

The mix, with a think time of 0.5–2 s between a user's requests (``LOADTEST_WAIT=0``: none, to
find the capacity): the case list, a filtered page, a search by a surname fragment (folded Polish
letters) or a case number, a case opened from the list; the coordinators also read the register
and now and then export a filtered part of it as CSV.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, task

PASSWORD = os.environ.get("BENCH_PASSWORD", "Bench-mopr-2026")
PROBES = Path(__file__).resolve().parent.parent / "var" / "bench-probes.json"
_probes = json.loads(PROBES.read_text(encoding="utf-8")) if PROBES.exists() else {}
REGIONS = int(_probes.get("regions", 3))
WORKERS_PER_REGION = int(_probes.get("workers_per_region", 2))
FRAGMENTS = ["kowal", "nowak", "wiśniew", "Żółkiew", "dąbrow", "łukasiew", "szymań", "lewandow", "grzyb", "wójcik"]
CASE_LINK = re.compile(r'href="/sprawy/(\d+)/"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_serial = itertools.count()


# Think time between a user's requests; LOADTEST_WAIT=0 makes every user ask again at once (capacity).
WAIT = float(os.environ.get("LOADTEST_WAIT", "1"))


class Staff(HttpUser):
    abstract = True
    wait_time = between(0.5 * WAIT, 2 * WAIT)
    usernames: list[str] = []

    def on_start(self):
        username = self.usernames[next(_serial) % len(self.usernames)]
        page = self.client.get("/logowanie/", name="login form")
        token = CSRF.search(page.text)
        response = self.client.post(
            "/logowanie/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1) if token else ""},
            name="login",
            allow_redirects=False,
        )
        if response.status_code != 302:
            response.failure(f"login of {username}: HTTP {response.status_code}")
        self.case_ids: list[str] = []

    def _list(self, query: str = "", name: str = "case list"):
        with self.client.get("/sprawy/" + query, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return
            found = CASE_LINK.findall(response.text)
            if found:
                self.case_ids = found

    @task(5)
    def case_list(self):
        self._list(f"?strona={random.randint(1, 5)}")

    @task(2)
    def filtered(self):
        stage = random.choice(["rozeznanie", "diagnoza", "praca_socjalna", "zakonczenie"])
        self._list(f"?stage={stage}", name="case list filtered")

    @task(3)
    def search(self):
        self._list(f"?q={random.choice(FRAGMENTS)}", name="case list search")

    @task(1)
    def search_number(self):
        self._list(f"?q=RPŚ-1/2025/0{random.randint(100, 999)}", name="case list search number")

    @task(4)
    def open_case(self):
        if not self.case_ids:
            self._list()
        if self.case_ids:
            self.client.get(f"/sprawy/{random.choice(self.case_ids)}/", name="case detail")


class Worker(Staff):
    weight = 3
    usernames = [f"bench-worker-{r}-{w}" for r in range(1, REGIONS + 1) for w in range(1, WORKERS_PER_REGION + 1)]


class Coordinator(Staff):
    weight = 1
    usernames = [f"bench-coordinator-{r}" for r in range(1, REGIONS + 1)]

    @task(3)
    def register(self):
        self.client.get(f"/rejestr/?strona={random.randint(1, 3)}", name="register")

    @task(1)
    def register_sorted(self):
        self.client.get(
            f"/rejestr/?sort={random.choice(['klient', 'pracownik', '-zgloszenie'])}", name="register sorted"
        )

    @task(1)
    def export_csv(self):
        # A working export, not the whole register: open cases at one stage of the coordinator's region.
        query = f"status=otwarte&stage={random.choice(['diagnoza', 'monitoring', 'zawieszenie'])}"
        with self.client.get(f"/rejestr/eksport.csv?{query}", name="register CSV", stream=True,
                             catch_response=True) as response:  # fmt: skip
            for _chunk in response.iter_content(65536):
                pass
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
