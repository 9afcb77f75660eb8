"""URLs of the time topic of registers (included by registers/urls.py)."""

urlpatterns: list = []
