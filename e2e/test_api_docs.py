"""The API documentation (Swagger UI) renders offline, from bundled assets, under the site's CSP."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_under_csp_without_network(live_server, browser, screenshot):
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    problems, outside = [], []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type in {"error", "warning"} else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))

    def only_this_server(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_server)
    response = page.goto(live_server.url + "/api/v1/docs/")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("innocluster API")
    operations = page.locator(".opblock-summary-path")
    expect(operations.filter(has_text="/api/v1/policy/rules/")).to_be_visible()
    expect(operations.filter(has_text="/api/v1/auth/tokens/").first).to_be_visible()
    expect(page.locator(".opblock-summary-method").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    screenshot(page, "api-docs")
    context.close()

    assert not outside, f"requests left the server: {outside}"
    csp = [text for text in problems if "Content Security Policy" in text or "Refused to" in text]
    assert not csp, csp
    assert not problems, problems
