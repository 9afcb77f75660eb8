"""URLs of the monitoring topic of registers (included by registers/urls.py)."""

urlpatterns: list = []
