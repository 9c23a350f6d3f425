"""A survey's questions as a citizen's form: radios for ratings, yes/no and options (they
work without JavaScript and are read out as groups), a textarea for free text."""

from django import forms
from django.utils.translation import gettext_lazy as _

from desk.cases.forms import TOO_LONG, CitizenFacingForm, count_characters
from desk.text import local_digits, normalize_text
from surveys.models import QuestionKind, Survey
from surveys.services import MAX_TEXT_ANSWER

RATING_WORDS = {
    1: _("very dissatisfied"),
    2: _("dissatisfied"),
    3: _("neither"),
    4: _("satisfied"),
    5: _("very satisfied"),
}


def rating_choices() -> list[tuple[str, str]]:
    return [(str(n), f"{local_digits(n)} — {RATING_WORDS[n]}") for n in range(5, 0, -1)]


class OptionField(forms.ChoiceField):
    """One of a question's options, matched in their stored spelling whatever was posted."""

    def to_python(self, value):
        return normalize_text(super().to_python(value))


class SurveyForm(CitizenFacingForm):
    """One field per question, `q_<id>`; `answers()` gives them by question id."""

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.all())
        for question in self.questions:
            field = self.fields[f"q_{question.pk}"] = self._field(question)
            if isinstance(field.widget, forms.Textarea):
                count_characters(field)  # the limit said and counted, line breaks as one

    @staticmethod
    def _field(question) -> forms.Field:
        common = {"label": question.text, "required": question.required}
        if question.kind == QuestionKind.RATING:
            return forms.TypedChoiceField(
                choices=rating_choices(), coerce=int, widget=forms.RadioSelect, **common
            )
        if question.kind == QuestionKind.YES_NO:
            return forms.TypedChoiceField(
                choices=[("yes", _("Yes")), ("no", _("No"))],
                coerce=lambda value: value == "yes",
                empty_value=None,
                widget=forms.RadioSelect,
                **common,
            )
        if question.kind == QuestionKind.CHOICE:
            options = question.option_list
            return OptionField(
                choices=[(option, option) for option in options], widget=forms.RadioSelect, **common
            )
        return forms.CharField(
            max_length=MAX_TEXT_ANSWER,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"max_length": TOO_LONG},
            **common,
        )

    def answers(self) -> dict[int, object]:
        found = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q_{question.pk}")
            if isinstance(value, str):
                value = normalize_text(value)
            if value not in (None, ""):
                found[question.pk] = value
        return found


class GeneralSurveyForm(SurveyForm):
    """The general survey, open to anyone: a field people never see (`website`, hidden by
    CSS and from screen readers) that only a robot fills."""

    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_robot(self) -> bool:
        return bool(self.data.get("website"))
