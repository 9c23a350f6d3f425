"""URL converters the case apps share."""

from django.urls import register_converter


class TrackingCodeConverter:
    """Twelve ASCII digits: anything else is not a code and never reaches a view."""

    regex = "[0-9]{12}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TrackingCodeConverter, "tracking_code")
