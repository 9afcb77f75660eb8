from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from mopr import account_views, directory_views, log_views, settings_views, staff_views, views
from mopr.forms import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "logowanie/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("wyloguj/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/", account_views.account, name="account"),
    path("haslo/", account_views.password_change, name="password_change"),
    path("logowanie/kod/", account_views.otp_verify, name="otp_verify"),
    path("konto/dwuskladnikowe/", account_views.otp_setup, name="otp_setup"),
    path("konto/dwuskladnikowe/wylacz/", account_views.otp_disable, name="otp_disable"),
    path("dziennik-dostepu/", log_views.access_log, name="access_log"),
    path("dziennik-dostepu/klient/<int:client_pk>.pdf", log_views.client_access_pdf, name="access_log_client_pdf"),
    path("blokady-logowania/", log_views.lockouts, name="lockouts"),
    path("osrodek/ustawienia/", settings_views.institution_settings, name="institution_settings"),
    path("pracownicy/", staff_views.staff_list, name="staff_list"),
    path("pracownicy/nowy/", staff_views.staff_new, name="staff_new"),
    path("pracownicy/<int:pk>/", staff_views.staff_detail, name="staff_detail"),
    path("katalog-adresatow/", directory_views.directory, name="directory"),
    path("katalog-adresatow/<int:pk>/", directory_views.directory_edit, name="directory_edit"),
    path("", include("cases.urls")),
    path("", include("contracts.urls")),
    path("", include("assistants.urls")),
    path("", include("registers.urls")),
    path("", include("refusals.urls")),
    path("", include("meetings.urls")),
    path("", include("timesheets.urls")),
    path("", include("staffing.urls")),
    path("", include("inbox.urls")),
    path("", include("background.urls")),
    path("", include("streets.urls")),
    path("", include("imports.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "mopr.errors_views.bad_request"
handler403 = "mopr.errors_views.permission_denied"
handler404 = "mopr.errors_views.page_not_found"
handler500 = "mopr.errors_views.server_error"
