"""How every form field is drawn, in one place (settings.FORM_RENDERER): the details a phone user
notices and a form author forgets (issue 20.5)."""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext as _

# A field of these names brings up the number pad (formset fields carry a prefix: "form-0-pesel").
INPUT_MODES = {"pesel": "numeric", "pesel_to_verify": "numeric", "postal_code": "numeric", "phone": "tel"}
DJANGO_EMPTY_LABEL = "---------"  # ModelChoiceField's and a blank model choice's empty option


class FormRenderer(TemplatesSetting):
    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if isinstance(widget, dict):
            if widget.get("type") in ("text", "tel"):
                mode = INPUT_MODES.get(str(widget.get("name", "")).rsplit("-", 1)[-1])
                if mode:
                    widget["attrs"].setdefault("inputmode", mode)
            for _group, options, _index in widget.get("optgroups", ()):
                for option in options:
                    if option["value"] in ("", None) and option["label"] == DJANGO_EMPTY_LABEL:
                        option["label"] = _("– wybierz –")
        return super().render(template_name, context, request=request)
