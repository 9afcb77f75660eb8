"""Nothing typed is lost, and one form saves once (issue 16.4).

- A form sent after the session's idle limit: ``SessionLimitsMiddleware`` still knows whose
  session it was, keeps what was typed (``draft_keep``) and sends the user to log in with the
  form's page as ``next``. ``DraftMiddleware`` then shows that page as "your form, kept – send it
  or discard it" (``mopr/draft_restore.html``): the values travel back in a fresh POST with a
  fresh CSRF token, so the view validates and saves as always. Kept on the server for that user
  only, for ``FORM_DRAFT_MINUTES``, never in a URL. Files are not kept (the page says so).
- One rendering of a form saves once: ``FormKeyMiddleware`` puts a key field into every POST
  form of a page (``static/js/app.js`` fills it once per rendering and the browser restores it
  on Back, as it restores what was typed); the first submission with a key claims it, a second
  one is refused with a message and sent where the first one went. A submission that did not
  succeed (the form came back with errors, or it failed) releases its claim.
"""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mopr.models import FormDraft, FormSubmission

DRAFT_FIELD = "mopr_draft"  # the restore page's POST names the draft it restores
# Set with the redirect to the login when a form was kept: only a browser that has it makes the
# pages look for a kept form (no query on every other page). It says nothing but "look".
DRAFT_COOKIE = "mopr_draft"
KEY_FIELD = "form_key"
_NOT_KEPT = {"csrfmiddlewaretoken", KEY_FIELD, DRAFT_FIELD}
_KEY = re.compile(r"^[A-Za-z0-9-]{16,64}$")


def _fresh(qs):
    since = timezone.now() - datetime.timedelta(minutes=settings.FORM_DRAFT_MINUTES)
    return qs.filter(created_at__gte=since)


def draft_flag(response) -> None:
    """Tell this browser to look for its kept form after the login."""
    response.set_cookie(
        DRAFT_COOKIE, "1", max_age=settings.FORM_DRAFT_MINUTES * 60, httponly=True, samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )  # fmt: skip


def draft_keep(*, user, path: str, data) -> FormDraft | None:
    """Keep what ``user`` sent to ``path`` (a QueryDict) after their session ended."""
    if "\x00" in path:  # no page has such a path; PostgreSQL would refuse it anyway
        return None
    # PostgreSQL's JSON holds no NUL character; a browser never sends one in a form's text.
    values = {
        k.replace("\x00", ""): [v.replace("\x00", "") for v in data.getlist(k)] for k in data if k not in _NOT_KEPT
    }
    if not any(v.strip() for vs in values.values() for v in vs if isinstance(v, str)):
        return None
    FormDraft.objects.filter(user=user, path=path).delete()  # the newest one counts
    FormDraft.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(days=1)).delete()
    return FormDraft.objects.create(user=user, path=path[:500], data=values)


class DraftMiddleware:
    """Offers a kept form back on its page (GET) and forgets it once sent or discarded."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        if request.method == "POST" and DRAFT_FIELD in request.POST:
            draft_id = request.POST.get(DRAFT_FIELD, "")
            if _valid_id(draft_id):
                FormDraft.objects.filter(user=user, pk=int(draft_id)).delete()
            if request.POST.get("discard"):
                messages.info(request, _("Odrzucono zachowany formularz."))
                response = redirect(request.path)
            else:
                response = self.get_response(request)
            return self._forget_when_none_left(user, response)
        looking = DRAFT_COOKIE in request.COOKIES and "\x00" not in request.path
        if request.method == "GET" and looking and not request.path.startswith("/static/"):
            draft = _fresh(FormDraft.objects.filter(user=user, path=request.path)).order_by("-pk").first()
            if draft is not None:
                fields = [(name, value) for name, values in draft.data.items() for value in values]
                context = {"draft": draft, "fields": fields, "draft_field": DRAFT_FIELD}
                return render(request, "mopr/draft_restore.html", context)
            return self._forget_when_none_left(user, self.get_response(request))
        return self.get_response(request)

    @staticmethod
    def _forget_when_none_left(user, response):
        if not _fresh(FormDraft.objects.filter(user=user)).exists():
            response.delete_cookie(DRAFT_COOKIE, samesite="Lax")
        return response


def _valid_id(value: str) -> bool:
    return value.isdigit() and len(value) < 20


class FormKeyMiddleware:
    """Every POST form of a page carries a key; a key saves once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        claim = None
        if signed_in and request.method == "POST":
            key = request.POST.get(KEY_FIELD, "")
            if _KEY.match(key):
                try:
                    with transaction.atomic():
                        claim = FormSubmission.objects.create(user=user, key=key)
                except IntegrityError:
                    first = FormSubmission.objects.filter(user=user, key=key).first()
                    messages.warning(request, _("Ten formularz został już wysłany – drugi raz go nie zapisano."))
                    return redirect((first.redirect_to if first and first.redirect_to else None) or request.path)
        try:
            response = self.get_response(request)
        except Exception:
            if claim is not None:
                FormSubmission.objects.filter(pk=claim.pk).delete()
            raise
        if claim is not None:
            if 300 <= response.status_code < 400:  # saved: the view sent the user on
                claim.redirect_to = response.get("Location", "")[:500]
                claim.save(update_fields=["redirect_to"])
            else:  # came back with errors, or failed: the corrected form may be sent again
                FormSubmission.objects.filter(pk=claim.pk).delete()
        if signed_in and response.get("Content-Type", "").startswith("text/html") and not response.streaming:
            _add_key_fields(response)
        return response


_CSRF_INPUT = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">)')
# A text input, hidden: a browser restores a text field's value on Back (as it restores what was
# typed), not a hidden one's; app.js fills it once per rendering.
_KEY_INPUT = (
    b'<input type="text" name="' + KEY_FIELD.encode() + b'" value="" hidden tabindex="-1" '
    b'aria-hidden="true" data-form-key>'
)


def _add_key_fields(response) -> None:
    content = response.content
    if b"csrfmiddlewaretoken" not in content:
        return
    response.content = _CSRF_INPUT.sub(lambda m: m.group(1) + _KEY_INPUT, content)
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
