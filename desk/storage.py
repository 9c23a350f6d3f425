from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files for production.

    django-jalali's admin CSS points at images the package does not ship; Django's manifest
    storage would refuse to deploy over that. A reference to a missing file is left as it is
    (the browser gets a 404 for a decorative image) instead.
    """

    manifest_strict = False

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            return name
