"""The start page and the health check."""

from __future__ import annotations

from countyhub.app import create_app


def test_start_page_shows_the_county(database_url: str):
    """The start page names the county and counts its service points."""
    app = create_app({"DATABASE_URL": database_url, "TESTING": True})
    with app.test_client() as client:
        page = client.get("/")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert "铜鼓县" in text and 'id="points">108<' in text
        assert client.get("/healthz").get_json() == {"status": "ok"}
    app.extensions["countyhub.db"].dispose()
