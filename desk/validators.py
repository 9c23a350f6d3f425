"""Password rules whose messages write their numbers in the reader's digits (Django's write
«8» into a Persian sentence)."""

from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from desk.text import LocalNumber


class PersianMinimumLengthValidator(MinimumLengthValidator):
    def _message(self) -> str:
        return ngettext(
            "The password must be at least %(min_length)s character long.",
            "The password must be at least %(min_length)s characters long.",
            self.min_length,
        ) % {"min_length": LocalNumber(self.min_length)}

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self._message(), code="password_too_short")

    def get_help_text(self) -> str:
        return self._message()
