"""Lapor Sinyal on a phone: file a report by tapping the map, then a planner approves it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SANDARAN = "64.08.11.2001"
SANDARAN_LAT, SANDARAN_LON = 0.944579, 118.782619
PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
PASSWORD = "pw-lapor-123456"


def phone_context(browser, **extra):
    return browser.new_context(locale="id-ID", **PHONE, **extra)


def make_planner(username: str):
    from django.contrib.auth.models import Group, User

    from jangkau.core.roles import ensure_role_groups

    ensure_role_groups()
    user = User.objects.create_user(username, password=PASSWORD)
    user.groups.add(Group.objects.get(name="planner"))
    return user


def test_a_report_filed_on_a_phone_is_approved_by_a_planner_in_the_queue(
    live_kutim, browser, artifacts
):
    from jangkau.evidence.models import Evidence, VillageStatus
    from jangkau.reports.models import CitizenReport

    context = phone_context(browser)
    page = context.new_page()
    page.goto(live_kutim.url + "/lapor/")
    page.wait_for_selector("#lapor-map[data-loaded='141']", timeout=20_000)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the report page is {width}px wide on a 375px screen"

    # Tap the map on Desa Sandaran (zoomed in so that one pixel is a few tens of metres).
    page.locator("#lapor-map").scroll_into_view_if_needed()
    x, y = page.evaluate(
        """([lat, lon]) => {
            const map = window.jangkauLaporMap;
            map.setView([lat, lon], 11, { animate: false });
            const p = map.latLngToContainerPoint([lat, lon]);
            return [p.x, p.y];
        }""",
        [SANDARAN_LAT, SANDARAN_LON],
    )
    page.locator("#lapor-map").tap(position={"x": x, "y": y})
    page.wait_for_selector(f"#village-found [data-village-code='{SANDARAN}']", timeout=10_000)
    assert page.input_value("#id_location_method") == "map"
    assert abs(float(page.input_value("#id_latitude")) - SANDARAN_LAT) < 0.01
    assert abs(float(page.input_value("#id_longitude")) - SANDARAN_LON) < 0.01

    page.select_option("#id_operator", "telkomsel")
    page.locator("input[name='answer'][value='good_internet']").check()
    page.fill("#id_note", "Sinyal bagus di dermaga <b>sore</b>")
    page.screenshot(path=str(artifacts / "lapor-sinyal-phone.png"), full_page=True)
    page.locator("#send-report").tap()
    page.wait_for_url("**/lapor/cek/*/?baru=1")
    reference = page.inner_text("#reference").strip()
    assert page.get_attribute("#report-state", "data-state") == "pending"
    report = CitizenReport.objects.get(reference=reference)
    assert report.village.code == SANDARAN and report.note == "Sinyal bagus di dermaga <b>sore</b>"
    context.close()

    # A planner logs in through the login form and approves it from the queue.
    make_planner("planner-lapor")
    context = phone_context(browser)
    page = context.new_page()
    page.goto(live_kutim.url + "/lapor/moderasi/")
    page.wait_for_url("**/accounts/login/**")
    page.fill("#id_username", "planner-lapor")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type='submit']").tap()
    page.wait_for_url("**/lapor/moderasi/")
    item = page.locator(f"#report-{reference}")
    assert item.get_attribute("data-state") == "pending"
    assert "<b>sore</b>" in item.inner_text()  # shown as text, not as markup
    item.locator("button[data-action='approve']").tap()
    page.wait_for_selector(f"#report-{reference}[data-state='approved']", timeout=10_000)
    page.screenshot(path=str(artifacts / "lapor-sinyal-moderation-phone.png"), full_page=True)
    context.close()

    evidence = Evidence.objects.get(key=f"citizen-report:{reference}")
    assert (evidence.kind, evidence.status) == ("citizen_report", "4g_good")
    assert VillageStatus.objects.get(village__code=SANDARAN, operator="").status == "4g_good"


def test_the_location_button_places_the_pin_from_the_phones_gps(live_kutim, browser):
    context = phone_context(
        browser,
        geolocation={"latitude": SANDARAN_LAT, "longitude": SANDARAN_LON, "accuracy": 20},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.goto(live_kutim.url + "/lapor/")
    page.wait_for_selector("#lapor-map[data-loaded='141']", timeout=20_000)
    page.locator("#use-gps").tap()
    page.wait_for_selector(f"#village-found [data-village-code='{SANDARAN}']", timeout=10_000)
    assert page.input_value("#id_location_method") == "gps"
    context.close()


def test_without_javascript_the_plain_form_checks_the_place_and_files_the_report(
    live_kutim, browser
):
    from jangkau.reports.models import CitizenReport

    context = phone_context(browser, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_kutim.url + "/lapor/")
    assert not page.locator("#lapor-map").is_visible()
    page.fill("#id_latitude", "0,944579")
    page.fill("#id_longitude", "118.782619")
    page.locator("button[name='check']").click()
    page.wait_for_selector(f"#village-found [data-village-code='{SANDARAN}']")
    page.locator("input[name='answer'][value='calls_only']").check()
    page.locator("#send-report").click()
    page.wait_for_url("**/lapor/cek/*/?baru=1")
    reference = page.inner_text("#reference").strip()
    report = CitizenReport.objects.get(reference=reference)
    assert (report.answer, report.location_method) == ("calls_only", "typed")
    context.close()


def test_a_planner_moves_a_report_to_the_village_its_note_names(live_kutim, browser, artifacts):
    from jangkau.reports.forms import CitizenReportForm
    from jangkau.reports.models import CitizenReport
    from jangkau.reports.services import file_report

    manubar = "64.08.11.2002"
    form = CitizenReportForm(
        data={
            "latitude": str(SANDARAN_LAT),
            "longitude": str(SANDARAN_LON),
            "location_method": "map",
            "operator": "telkomsel",
            "answer": "calls_only",
            "note": "Saya di Desa Manubar, dekat sekolah",
            "website": "",
        }
    )
    assert form.is_valid(), form.errors
    reference = file_report(form, address="10.1.2.3", channel="web").report.reference

    make_planner("planner-desa")
    context = phone_context(browser)
    page = context.new_page()
    page.goto(live_kutim.url + "/lapor/moderasi/")
    page.wait_for_url("**/accounts/login/**")
    page.fill("#id_username", "planner-desa")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type='submit']").tap()
    page.wait_for_selector(f"#report-{reference}")
    assert page.locator("#village-choices option").count() == 141
    item = page.locator(f"#report-{reference}")
    item.locator("details.correct-village summary").tap()
    item.locator("input[name='village']").fill(manubar)
    item.locator("details.correct-village input[name='reason']").fill("catatan menyebut Manubar")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the moderation page is {width}px wide on a 375px screen"
    item.locator("button[data-action='correct-village']").tap()
    page.wait_for_selector(f"#report-{reference} ul.corrections li", timeout=10_000)
    moved = page.locator(f"#report-{reference}")
    assert "Manubar" in moved.locator("p").first.inner_text()
    assert moved.get_attribute("data-state") == "pending"  # moving is not deciding
    page.screenshot(path=str(artifacts / "lapor-sinyal-village-correction.png"), full_page=True)
    context.close()

    report = CitizenReport.objects.get(reference=reference)
    assert report.village.code == manubar
    assert report.village_corrections.get().reason == "catatan menyebut Manubar"
