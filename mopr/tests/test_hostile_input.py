"""Hostile input never gives a server error (issue 8, item 5).

Every URL of the sweep (``mopr/tests/test_url_sweep.py``: its ``EXPECTED`` table and its ``world``
with one object of every kind) is requested by a persona who may use it, with hostile values
(``mopr/tests/hostile.py``): very long strings, control characters and NUL, odd Unicode and
digits, script and SQL fragments, path traversal, overflowing numbers, impossible dates, lists
where one value is expected, files where text is expected –

- in the query string (the list filters, the search, the page, the sort and anything else),
- in the fields of every form the page shows (read from the HTML, so no form is forgotten; the
  forms of POST-only views also from their classes), starting from the values the page filled
  in, so that a hostile value reaches the form's checks and the services behind them; a form
  that succeeds is followed to the page it leads to, which shows what was saved,
- in the path (ids past 2**63 and of 5000 digits, odd slugs, months that do not exist).

First every value of ``SWEEP`` in every parameter (or field, or path part) at once, then
Hypothesis's own mixtures. Every answer must be below 500; a refusal (4xx) says why in Polish, a
form refused says what is wrong; no page echoes a script unescaped. Each request runs in a
savepoint that is rolled back: every one meets the same world.

The uploads, the escaping of stored text on the pages that show it, and the exports are in
``test_hostile_storage.py``.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistants.views import WORK_FORMS
from cases.entry_views import ENTRY_KINDS
from cases.forms import AssignForm as CaseAssignForm
from cases.forms import CaseFilter, TransitionForm
from contracts.forms import SignForm
from mopr.tests import test_url_sweep
from mopr.tests.hostile import (
    EXPECTED,
    FORM_ERROR,
    HYPOTHESIS,
    INT_PATH,
    ROUTES,
    SLUG_PATH,
    STR_PATH,
    SWEEP,
    build_url,
    check,
    forms_of,
    hostile_text,
    hostile_value,
    is_html,
    login,
    materialise,
    path_value,
    posts_to,
    query_data,
    send,
    world_kwargs,
)
from refusals import forms as forms_monitoring
from registers.forms import RegisterFilter

# The permission sweep's world (a case of region A1 with one of everything), shared as a fixture here.
world = test_url_sweep.world

NAMES = sorted(EXPECTED)


def examples(name: str, usual: int) -> int:
    """Printouts ignore the query string and take a second each: a few examples are enough."""
    return 3 if name.endswith("pdf") else usual


# --- 1. the query string -------------------------------------------------------------------------------------

# What the views read from request.GET, and the filters of the lists (their forms are read from the pages too).
QUERY_PARAMS = sorted(
    {"q", "strona", "page", "sort", "rodzaj", "tydzien", "pracownik", "rejon", "klient", "nowy", "next", "format"}
    | set(RegisterFilter.base_filters)
    | set(CaseFilter.base_filters)
)


def swept(name: str) -> list[str]:
    """The values sent to every parameter at once; printouts ignore the query string (and take a second)."""
    return [] if name.endswith("pdf") else SWEEP


@pytest.mark.parametrize("name", NAMES)
def test_hostile_query_string(client, world, name):
    login(client, name)
    url = build_url(name, world)
    page, body = send(client, "get", url)
    check(page, body, f"GET {url}")
    names = list(QUERY_PARAMS)
    if is_html(page):
        names += [n for form in forms_of(body.decode()) if form.method == "get" for n in form.names]
    names = sorted(set(names))
    for value in swept(name):
        data = dict.fromkeys(names, value)
        response, body = send(client, "get", url, data)
        check(response, body, f"GET {url} with {value[:40]!r} in every parameter")

    keys = st.one_of(st.sampled_from(names), hostile_text(long=False))
    values = st.one_of(hostile_text(), st.lists(hostile_text(long=False), min_size=2, max_size=3))
    some = st.lists(st.tuples(keys, values), min_size=1, max_size=6)
    many = st.fixed_dictionaries({}, optional=dict.fromkeys(names, values)).map(lambda d: list(d.items()))

    @settings(max_examples=examples(name, 10), **HYPOTHESIS)
    @given(pairs=st.one_of(some, many))
    def hostile_get(pairs):
        data = query_data(pairs)
        response, body = send(client, "get", url, data)
        check(response, body, f"GET {url} {data!r:.300}")

    hostile_get()


# --- 2. the forms ------------------------------------------------------------------------------------------------

# Views that take only a POST: the page that shows their form. In the world some of those forms are
# not shown (the contract is signed, the case is not in monitoring), so their fields come from the
# form classes as well.
HOST_PAGE = {
    "cases:transition": "cases:detail",
    "cases:assign": "cases:detail",
    "cases:accept": "cases:detail",
    "contracts:sign": "contracts:detail",
    "assistants:interview": "assistants:request",
    "assistants:opinion": "assistants:request",
    "assistants:decide": "assistants:request",
    "assistants:assign": "assistants:request",
    "refusals:monitoring_plan": "refusals:monitoring_case",
    "refusals:monitoring_date_done": "refusals:monitoring_case",
    "refusals:monitoring_report": "refusals:monitoring_case",
    "refusals:monitoring_decide": "refusals:monitoring_case",
    "cases:retention_anonymise": "cases:retention",
    "logout": "home",
}
# What views read from request.POST outside their forms (a button's value, where to go next, ticked ids).
POST_PARAMS = ["cases", "confirm", "next", "revoke", "target"]


def _field_names(form_class, prefix: str = "") -> list[str]:
    try:
        fields = form_class().fields
    except TypeError:  # needs keywords (a case, a queryset): the declared fields are enough
        fields = form_class.base_fields
    return [f"{prefix}{name}" for name in fields]


def class_fields(name: str, world: dict) -> list[str]:
    from assistants import forms as assistant_forms

    by_name = {
        "cases:transition": lambda: _field_names(TransitionForm),
        "cases:assign": lambda: _field_names(CaseAssignForm),
        "contracts:sign": lambda: _field_names(SignForm),
        "assistants:interview": lambda: _field_names(assistant_forms.InterviewForm),
        "assistants:opinion": lambda: _field_names(assistant_forms.OpinionForm),
        "assistants:decide": lambda: _field_names(assistant_forms.DecisionForm),
        "assistants:assign": lambda: _field_names(assistant_forms.AssignForm),
        "refusals:monitoring_plan": lambda: _field_names(forms_monitoring.PlanForm),
        "refusals:monitoring_report": lambda: _field_names(forms_monitoring.ReportForm),
        "refusals:monitoring_decide": lambda: _field_names(forms_monitoring.DecisionForm),
        "refusals:monitoring_date_done": lambda: _field_names(
            forms_monitoring.DateDoneForm, f"date-{world['date_pk']}-"
        ),
    }
    return by_name[name]() if name in by_name else []


def page_forms(client, name: str, world: dict, url: str):
    """The forms that post to ``url``: on its own page, or on the page that shows its form."""
    host = HOST_PAGE.get(name, name)
    page_url = build_url(host, world) if host != name else url
    page, body = send(client, "get", page_url)
    if page.status_code != 200 or not is_html(page):
        return []
    return [form for form in forms_of(body.decode()) if posts_to(form, page_url, url)]


def post_and_check(client, url: str, data: dict, what: str, *, has_form: bool) -> None:
    response, body = send(client, "post", url, data, follow=True)
    check(response, body, what)
    # Text sent: a POST with files alone (or nothing) is, to a view reading ``request.POST or None``, a GET.
    sent_text = any(
        isinstance(v, str) for value in data.values() for v in (value if isinstance(value, list) else [value])
    )
    if (
        has_form
        and sent_text
        and response.status_code in (200, 422)
        and is_html(response)
        and not response.redirect_chain
    ):
        # Not saved: the page says what is wrong (a successful post redirects). (A page without a
        # form may answer a POST as a GET.)
        assert FORM_ERROR.search(body), f"{what}: {response.status_code} without a message"


# Views with a form per kind named in the path: every kind (the world names one).
KINDS = {
    "cases:entry_add": ("kind", sorted(ENTRY_KINDS)),
    "assistants:work_add": ("kind", sorted(WORK_FORMS)),
    "assistants:request_new": ("path", ["instytucja", "pracownik", "sad"]),
}
FORM_PAGES = [pytest.param(name, {}, id=name) for name in NAMES if name not in KINDS] + [
    pytest.param(name, {key: kind}, id=f"{name}:{kind}")
    for name, (key, kinds) in KINDS.items()
    if name in EXPECTED
    for kind in kinds
]


@pytest.mark.parametrize(("name", "kind"), FORM_PAGES)
def test_hostile_form_fields(client, world, name, kind):
    login(client, name)
    url = build_url(name, world, kind)
    forms = page_forms(client, name, world, url)
    known = set(class_fields(name, world))
    has_form = bool(forms or known)
    names = sorted({n for form in forms for n in form.names} | known | set(POST_PARAMS))
    defaults = [form.fields for form in forms] or [[]]
    for value in SWEEP:
        data = query_data(defaults[0]) | dict.fromkeys(names, value)
        post_and_check(client, url, data, f"POST {url} with {value[:40]!r} in every field", has_form=has_form)

    field = st.one_of(*[st.sampled_from(names)] * 3, hostile_text(long=False))
    change = st.tuples(field, hostile_value())
    # Now and then a valid choice, so that a hostile value elsewhere meets otherwise valid data.
    offered = sorted({(n, v) for form in forms for n, values in form.choices.items() for v in values})
    if offered:
        change = st.one_of(change, change, st.sampled_from(offered))

    @settings(max_examples=examples(name, 15), **HYPOTHESIS)
    @given(
        start=st.sampled_from(defaults),
        dropped=st.sets(st.sampled_from(names), max_size=3),
        changed=st.lists(change, min_size=1, max_size=6),
    )
    def hostile_post(start, dropped, changed):
        data = query_data(start)
        for key in dropped:
            data.pop(key, None)
        for key, value in changed:
            data[key] = [materialise(v) for v in value] if isinstance(value, list) else materialise(value)
        shown = {k: (v if isinstance(v, str | list) else repr(v)) for k, v in data.items()}
        post_and_check(client, url, data, f"POST {url} {shown!r:.300}", has_form=has_form)

    hostile_post()


# --- 3. the path ---------------------------------------------------------------------------------------------------

WITH_PATH = [name for name in NAMES if ROUTES[name][1]]
PATH_SWEEP = {"IntConverter": INT_PATH, "SlugConverter": SLUG_PATH, "StringConverter": STR_PATH}


@pytest.mark.parametrize("name", WITH_PATH)
def test_hostile_path(client, world, name):
    login(client, name)
    converters = ROUTES[name][1]
    assert set(converters) == set(world_kwargs(name, world))
    method = EXPECTED[name].method
    for key, converter in converters.items():
        for value in PATH_SWEEP.get(type(converter).__name__, ["0000-00", "2023-13", "9999-99"]):
            url = build_url(name, world, {key: value})
            response, body = send(client, method, url)
            check(response, body, f"{method.upper()} {url:.300}")

    @settings(max_examples=examples(name, 10), **HYPOTHESIS)
    @given(data=st.data())
    def hostile_path(data):
        keys = data.draw(st.sets(st.sampled_from(sorted(converters)), min_size=1), label="keys")
        hostile = {key: data.draw(path_value(converters[key]), label=key) for key in sorted(keys)}
        url = build_url(name, world, hostile)
        response, body = send(client, method, url)
        check(response, body, f"{method.upper()} {url:.300}")

    hostile_path()
