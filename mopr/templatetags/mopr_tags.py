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
