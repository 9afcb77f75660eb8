"""Static files under content-hashed names with a long cache lifetime (issue 20.4): the pages link
css/app.<hash>.css, WhiteNoise sends such a name with "immutable" for ten years, and the stylesheets'
own url()s (fonts, Bootstrap's images) point at hashed names too – so a release changes the names and
nobody keeps yesterday's stylesheet, while the browser asks for nothing it has."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage

pytestmark = pytest.mark.django_db

HASHED = r"\.[0-9a-f]{12}\."


def test_the_page_links_hashed_names_and_preloads_the_font(client):
    html = client.get("/logowanie/").content.decode()
    links = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert links, html[:500]
    assert all(re.search(HASHED, link) for link in links), links
    preloads = re.findall(r'<link rel="preload" href="([^"]+)" as="font" type="font/woff2" crossorigin>', html)
    assert [re.sub(HASHED, ".", p) for p in preloads] == [
        "/static/vendor/fonts/source-sans-3/source-sans-3-latin-400-normal.woff2",
        "/static/vendor/fonts/source-sans-3/source-sans-3-latin-ext-400-normal.woff2",
    ]


@pytest.mark.parametrize("name", ["css/app.css", "vendor/bootstrap/bootstrap.min.css", "js/app.js"])
def test_a_hashed_name_is_cached_for_good(client, name):
    url = staticfiles_storage.url(name)
    assert re.search(HASHED, url), url
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    response.close()


def test_an_unhashed_name_is_still_served_but_briefly(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200 and response["Cache-Control"] == "max-age=60, public"
    response.close()


def test_the_stylesheets_point_at_hashed_fonts_and_images():
    """collectstatic rewrote every url() of the collected CSS (it fails on one that does not resolve)."""
    for name in ("vendor/fonts/source-sans-3/fonts.css", "vendor/bootstrap/bootstrap.min.css", "print/print.css"):
        css = (settings.STATIC_ROOT / staticfiles_storage.stored_name(name)).read_text(encoding="utf-8")
        urls = [u.strip("'\"") for u in re.findall(r"url\(([^)]+)\)", css)]
        files = [u for u in urls if not u.startswith(("data:", "#"))]
        assert all(re.search(HASHED, u) for u in files), (name, files)
    fonts = (settings.STATIC_ROOT / staticfiles_storage.stored_name("vendor/fonts/source-sans-3/fonts.css")).read_text()
    assert fonts.count(".woff2") == 6
