"""The API documentation renders in a real browser under the Content Security Policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_swagger_ui_renders_from_local_files(page, live_server):
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None)

    page.goto(f"{live_server.url}/api/v1/docs/")

    expect(page.get_by_text("Mentorat API")).to_be_visible()
    expect(page.get_by_text("/api/v1/associations/{slug}/proposals/").first).to_be_visible()
    assert blocked == []
