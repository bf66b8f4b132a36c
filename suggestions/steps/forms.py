"""A step's HTML form, derived from its input serializer.

The form only renders the fields (labels, choices, widgets) and carries errors: what was
posted is validated by the step's serializer (`suggestions.steps.validate`), so a page, the
admin and the API accept and refuse the same input with the same messages.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import ErrorDict
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.relations import ManyRelatedField, PrimaryKeyRelatedField

from suggestions.forms import MAX_FILES, MultipleFileField
from suggestions.steps import Step
from suggestions.steps.inputs import SuggestionReferenceField

LONG_TEXT = 200
SHORT_CHOICES = 6


class StepForm(forms.Form):
    """Renders a step's fields; the step's serializer does the validating."""

    def __init__(self, *args, step: Step, **kwargs):
        self.step = step
        super().__init__(*args, **kwargs)

    def full_clean(self):
        # Nothing to clean here: `add_serializer_errors` brings the serializer's verdict.
        self._errors = ErrorDict()
        self.cleaned_data = {}

    def add_serializer_errors(self, detail) -> None:
        if not isinstance(detail, dict):
            detail = {None: detail}
        for name, messages in detail.items():
            target = name if name in self.fields else None
            for message in messages if isinstance(messages, list | tuple) else [messages]:
                self.add_error(target, _flatten(message))

    def posted(self, data, files=None):
        """What was posted under this form's prefix, as the serializer reads it (a QueryDict
        keeps repeated keys, such as several co-units, for the serializer's list fields)."""
        result = data.copy() if hasattr(data, "copy") else dict(data)
        if hasattr(result, "setlist"):
            result.clear()
            for name, field in self.fields.items():
                key = self.add_prefix(name)
                if isinstance(field, forms.FileField):
                    # Files come from the upload only; an empty file box posts "" or nothing.
                    if files and files.getlist(key):
                        result.setlist(name, files.getlist(key))
                elif key in data:
                    result.setlist(name, data.getlist(key))
            return result
        return {name: data[self.add_prefix(name)] for name in self.fields if self.add_prefix(name) in data}


def _flatten(message) -> str:
    if isinstance(message, dict):
        return "；".join(_flatten(m) for m in message.values())
    if isinstance(message, list | tuple):
        return "；".join(_flatten(m) for m in message)
    return str(message)


def _label(field: serializers.Field, name: str) -> str:
    return field.label if field.label and field.label != name.replace("_", " ").capitalize() else name


def form_field(field: serializers.Field, name: str, queryset=None) -> forms.Field:
    """The Django form field that renders a serializer field."""
    options = {"label": _label(field, name), "required": field.required, "help_text": field.help_text or ""}
    if field.default is not empty and field.default not in ("", None):
        options["initial"] = field.default
    if isinstance(field, SuggestionReferenceField):
        return forms.CharField(max_length=20, **options)
    if isinstance(field, ManyRelatedField):
        rows = queryset if queryset is not None else field.child_relation.get_queryset()
        return forms.ModelMultipleChoiceField(queryset=rows, **options)
    if isinstance(field, PrimaryKeyRelatedField):
        rows = queryset if queryset is not None else field.get_queryset()
        return forms.ModelChoiceField(queryset=rows, **options)
    if isinstance(field, serializers.ChoiceField):
        choices = list(field.choices.items())
        if field.required and len(choices) <= SHORT_CHOICES:
            # A few options: all in view, one tap each (a phone's select hides them).
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **options)
        if not field.required:
            choices = [("", "---------"), *choices]
        return forms.ChoiceField(choices=choices, **options)
    if isinstance(field, serializers.DateField):
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **options)
    if isinstance(field, serializers.ListField) and isinstance(field.child, serializers.FileField):
        return MultipleFileField(max_files=field.max_length or MAX_FILES, **options)
    if isinstance(field, serializers.FileField):
        return forms.FileField(**options)
    if isinstance(field, serializers.BooleanField):
        return forms.BooleanField(**{**options, "required": False})
    if isinstance(field, serializers.CharField):
        long = field.max_length is None or field.max_length > LONG_TEXT
        widget = forms.Textarea(attrs={"rows": 3}) if long else forms.TextInput
        return forms.CharField(max_length=field.max_length, widget=widget, **options)
    # A region code and anything else: typed as text, checked by the serializer.
    return forms.CharField(**options)


def step_form(step: Step, *, obj, request, data=None, files=None, prefix: str | None = None) -> StepForm:
    """The form for `step` on `obj`, as `request.user` sees it (their choices, in scope)."""
    serializer = step.input(context={"request": request, "target": obj})
    initial = step.initial(obj, request.user) if step.initial is not None and data is None else None
    form = StepForm(data, files, step=step, prefix=prefix, initial=initial)
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        narrowed = step.choices.get(name)
        queryset = narrowed(obj, request.user) if narrowed else None
        form.fields[name] = form_field(field, name, queryset)
    return form
