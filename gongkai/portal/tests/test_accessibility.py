"""axe-core (vendored, see vendor/axe-core/README.md) over the main public and staff pages, in headless Chromium
under the site's Content-Security-Policy, at the ordinary and the larger font size: no serious or critical
violation."""

import json
from pathlib import Path

import pytest

from gongkai.testing import BROWSER

pytestmark = [*BROWSER]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AGENCY = "xianyou-gxj"
PASSWORD = "gongkai-demo-2026"
BLOCKING = {"serious", "critical"}

PUBLIC = ["/", "/xianyou/", f"/{AGENCY}/", f"/{AGENCY}/items/", "{item}", f"/{AGENCY}/catalogue/",
          f"/{AGENCY}/guide/", f"/{AGENCY}/reports/2020/", "/search/?q=补贴", f"/{AGENCY}/apply/", "/track/",
          f"/{AGENCY}/feedback/"]
STAFF = ["/staff/", f"/staff/{AGENCY}/reports/2020/", f"/staff/{AGENCY}/applications/", "{application}",
         f"/staff/{AGENCY}/items/", f"/staff/{AGENCY}/catalogue/", "/accounts/otp/"]
SUPERVISOR = ["/staff/dashboard/xianyou/2025/", "/staff/dashboard/xianyou/2026/"]


def axe_run(page, source: str, *, large_font: bool) -> list[dict]:
    # page.evaluate goes through the DevTools protocol, which the Content-Security-Policy does not govern
    # (an injected <script> would be refused).
    if page.evaluate("typeof window.axe === 'undefined'"):
        page.evaluate(source)
    if large_font:
        page.evaluate("document.documentElement.classList.add('large-font')")
    return page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")


@pytest.mark.django_db(transaction=True)
def test_main_pages_have_no_serious_accessibility_violation(live_server, page, artifacts_dir):
    from gongkai.applications.models import Application
    from gongkai.catalogue.search import search_rebuild
    from gongkai.demo.services import demo_load
    from gongkai.portal import selectors
    from gongkai.agencies.models import Agency

    demo_load()
    search_rebuild()
    agency = Agency.objects.get(code=AGENCY)
    item = selectors.items_of(agency).order_by("pk").first()
    application = Application.objects.filter(agency=agency).order_by("pk").first()
    assert item is not None and application is not None
    fill = {"{item}": f"/{AGENCY}/items/{item.pk}/",
            "{application}": f"/staff/{AGENCY}/applications/{application.pk}/"}

    source = AXE.read_text(encoding="utf-8")
    base = live_server.url
    report, blocking = [], []

    def check(path: str) -> None:
        for large_font in (False, True):
            response = page.goto(base + path)
            assert response is not None and response.status == 200, f"{path}: HTTP {response and response.status}"
            page.wait_for_load_state()
            assert "/accounts/login/" not in page.url or path == "/accounts/login/", f"{path}: sent to login"
            violations = axe_run(page, source, large_font=large_font)
            mode = "large-font" if large_font else "normal"
            for v in violations:
                entry = {"page": path, "mode": mode, "id": v["id"], "impact": v["impact"], "help": v["help"],
                         "helpUrl": v["helpUrl"], "targets": [n["target"] for n in v["nodes"]],
                         "summaries": [n.get("failureSummary") for n in v["nodes"][:3]]}
                report.append(entry)
                if v["impact"] in BLOCKING:
                    blocking.append(entry)

    for path in PUBLIC:
        check(fill.get(path, path))
    check("/accounts/login/")
    page.goto(f"{base}/accounts/login/?next=/staff/")
    page.get_by_label("用户名").fill("gxj_handler")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    for path in STAFF:
        check(fill.get(path, path))
    # The drafter's report page (with its editing form) and the supervisor's dashboard.
    for username, paths in (("gxj_publisher", [f"/staff/{AGENCY}/reports/2026/"]),
                            ("xianyou_supervisor", SUPERVISOR)):
        page.get_by_role("button", name="退出登录").click()
        page.goto(f"{base}/accounts/login/?next=/staff/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        for path in paths:
            check(path)

    (artifacts_dir / "axe-report.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    assert not page.csp_violations, page.csp_violations
    assert not blocking, "serious or critical accessibility violations:\n" + "\n".join(
        f"- {e['page']} [{e['mode']}] {e['id']} ({e['impact']}): {e['help']} — "
        f"{', '.join(' '.join(t) for t in e['targets'][:3])}" for e in blocking)
