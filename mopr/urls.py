from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from mopr import views

urlpatterns = [
    path("", views.home, name="home"),
    path("logowanie/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("wyloguj/", auth_views.LogoutView.as_view(), name="logout"),
    path("haslo/", views.password_change, name="password_change"),
    path("", include("cases.urls")),
    path("", include("contracts.urls")),
    path("", include("assistants.urls")),
    path("", include("registers.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "mopr.errors_views.bad_request"
handler403 = "mopr.errors_views.permission_denied"
handler404 = "mopr.errors_views.page_not_found"
handler500 = "mopr.errors_views.server_error"
