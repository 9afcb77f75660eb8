from django.apps import AppConfig


class BenchConfig(AppConfig):
    """`make bench`: the synthetic centre (``bench/data.py``) and the measurements
    (``manage.py bench``). No models; kept apart from the application's own apps."""

    name = "bench"
    verbose_name = "Pomiary wydajności"
