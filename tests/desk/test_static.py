import json

import pytest
from django.core.management import call_command
from django.test import override_settings

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "desk.storage.StaticFilesStorage"},
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """What `collectstatic` does on a release: the folder and its manifest's paths."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root, json.loads((root / "staticfiles.json").read_text())["paths"]


def test_production_static_files_collect_with_hashed_names(collected):
    """Every file hashed and compressed, our own copies of Bootstrap RTL and Vazirmatn among
    them, no third-party package refusing."""
    root, paths = collected
    for name in (
        "css/portal.css",
        "css/fonts.css",
        "vendor/bootstrap/css/bootstrap.rtl.min.css",
        "vendor/vazirmatn/Vazirmatn-NL[wght].woff2",
        "js/portal.js",
        "img/favicon.svg",
        "img/apple-touch-icon.png",
        "img/emblem.svg",
    ):
        assert name in paths
        assert paths[name] != name
        assert (root / paths[name]).exists()
    assert (root / (paths["css/portal.css"] + ".gz")).exists()
    # The font face loads the hashed font file, so browsers may cache it for ever.
    hashed_font = paths["vendor/vazirmatn/Vazirmatn-NL[wght].woff2"].rsplit("/", 1)[-1]
    assert hashed_font in (root / paths["css/fonts.css"]).read_text()


def test_only_what_the_pages_use_of_npm_is_public(collected):
    """The font's non-Latin subset only (the full font is 111 KB against 48 KB), and nothing of
    the test tools (axe-core, a devDependency) among the files anyone may download."""
    _root, paths = collected
    assert "vendor/vazirmatn/Vazirmatn[wght].woff2" not in paths
    assert not [name for name in paths if "axe" in name.lower()]
