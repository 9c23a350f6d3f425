"""Pages go out gzipped to browsers that accept it, without giving BREACH a length to read."""

import gzip

import pytest

pytestmark = pytest.mark.django_db


def test_a_page_is_compressed_for_a_browser_that_accepts_gzip(client):
    plain = client.get("/").content
    response = client.get("/", headers={"accept-encoding": "gzip, br"})

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert len(response.content) < len(plain) / 2
    assert "میز خدمت".encode() in gzip.decompress(response.content)


def test_the_same_page_twice_gives_a_different_compressed_length():
    """BREACH needs the compressed length to follow the secret; Django pads each response
    with random bytes, so two identical requests do not even agree on a length."""
    from django.test import Client

    client = Client()
    lengths = {len(client.get("/", headers={"accept-encoding": "gzip"}).content) for _ in range(8)}
    assert len(lengths) > 1
