from django.urls import path

from contracts import views

app_name = "contracts"

urlpatterns = [
    path("sprawy/<int:pk>/kontrakt/nowy/", views.contract_new, name="new"),
    path("sprawy/<int:pk>/kontrakt/<int:contract_pk>/", views.contract_detail, name="detail"),
    path("sprawy/<int:pk>/kontrakt/<int:contract_pk>/podpisz/", views.contract_sign, name="sign"),
    path("sprawy/<int:pk>/kontrakt/<int:contract_pk>/ewaluacja/", views.contract_evaluate, name="evaluate"),
    path("sprawy/<int:pk>/kontrakt/<int:contract_pk>/aneks/", views.contract_amend, name="amend"),
    path("sprawy/<int:pk>/kontrakt/<int:contract_pk>/zakoncz/", views.contract_end, name="end"),
    path("sprawy/<int:pk>/kontrakt/<int:contract_pk>/pdf/", views.contract_pdf, name="pdf"),
    path("sprawy/<int:pk>/oswiadczenie/", views.declaration_new, name="declaration_new"),
    path("sprawy/<int:pk>/oswiadczenie/<int:declaration_pk>/pdf/", views.declaration_pdf, name="declaration_pdf"),
    path("sprawy/<int:pk>/oddalanie/", views.moving_away, name="moving_away"),
]
