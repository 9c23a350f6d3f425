import json

from django.core.management import call_command
from django.test import override_settings

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "desk.storage.StaticFilesStorage"},
}


def test_production_static_files_collect_with_hashed_names(tmp_path):
    """What `collectstatic` does on a release: every file hashed and compressed, our own
    copies of Bootstrap RTL and Vazirmatn among them, no third-party package refusing."""
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
    paths = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in (
        "css/portal.css",
        "css/fonts.css",
        "vendor/bootstrap/css/bootstrap.rtl.min.css",
        "vendor/vazirmatn/Vazirmatn[wght].woff2",
    ):
        assert name in paths
        assert paths[name] != name
        assert (tmp_path / paths[name]).exists()
    assert (tmp_path / (paths["css/portal.css"] + ".gz")).exists()
    # The font face loads the hashed font file, so browsers may cache it for ever.
    hashed_font = paths["vendor/vazirmatn/Vazirmatn[wght].woff2"].rsplit("/", 1)[-1]
    assert hashed_font in (tmp_path / paths["css/fonts.css"]).read_text()
