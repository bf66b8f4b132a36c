"""`{% submitter suggestion as who %}`: the suggestion's submitter as the signed-in person may
see them (suggestions/privacy.py), so a page shows `who.name` and `who.phone` and never reads
the model's fields itself."""

from django import template

from suggestions.privacy import submitter_for

register = template.Library()


@register.simple_tag(takes_context=True)
def submitter(context, suggestion):
    request = context.get("request")
    return submitter_for(getattr(request, "user", None), suggestion)
