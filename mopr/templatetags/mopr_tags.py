from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """{{ counts|get_item:stage }} – a dictionary lookup by a variable key."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def duration_pl(value) -> str:
    """A timedelta in words a Polish reader expects: "15 min", "2 godz. 30 min"."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    parts = ([f"{hours} godz."] if hours else []) + ([f"{minutes} min"] if minutes or not hours else [])
    return " ".join(parts)


@register.filter
def by_sex(person, forms: str) -> str:
    """ "Panią,Panem" → the form for the person's sex (``is_female``: from the PESEL or the recorded
    field); where it is not known, both, as the blank form prints them ("Panią/Panem")."""
    female, male = forms.split(",")
    known = getattr(person, "is_female", None)
    if known is None:
        return f"{female}/{male}"
    return female if known else male


@register.filter
def query_items(query_string: str) -> list[tuple[str, str]]:
    """A list's query string as (name, value) pairs: the hidden fields of the "go to page" form, so
    a jump keeps the filters."""
    from urllib.parse import parse_qsl

    return parse_qsl(query_string or "", keep_blank_values=True)


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """Where the page sits (mopr/breadcrumbs.py): the steps above it, Start first."""
    from mopr.breadcrumbs import trail

    request = context.get("request")
    return {"crumbs": trail(request=request, context=context) if request is not None else []}


@register.inclusion_tag("includes/error_summary.html", takes_context=True)
def error_summary(context):
    """After a failed submit, every error of the page's forms at the top, each linked to its field
    (issue 20.1, GOV.UK's error summary): found in the context, so no view has to pass it."""
    from django.forms import BaseForm, BaseFormSet
    from django.forms.utils import ErrorDict

    items, seen = [], set()

    def add(form):
        if id(form) in seen or not getattr(form, "error_summary", True) or not form.is_bound:
            return
        if not isinstance(form.errors, ErrorDict) or not form.errors:
            return
        seen.add(id(form))
        for name, errors in form.errors.items():
            field = form[name] if name in form.fields else None
            anchor = field.auto_id if field is not None and not field.is_hidden else ""
            label = field.label if field is not None and not field.is_hidden else ""
            items.extend((anchor, label, message) for message in errors)

    for value in context.flatten().values():
        if isinstance(value, BaseFormSet) and value.is_bound:
            items.extend(("", "", message) for message in value.non_form_errors())
            for form in value.forms:
                add(form)
        elif isinstance(value, BaseForm):
            add(value)
    return {"items": items}
