"""A real browser (Debian's Chromium, driven by Selenium through Debian's chromedriver) against
`verifier serve`: check a claim, see the verdict and the highlighted number; upload a claims file and see
the table. Screenshots go to pytest's tmp folder, at a desktop and at a phone width."""

import shutil

import pytest

pytestmark = pytest.mark.model

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")
WIDTHS = {"desktop": (1280, 1000), "phone": (390, 844)}


@pytest.fixture
def browser(tmp_path, monkeypatch):
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        pytest.skip("needs Debian's chromium and chromium-driver (.ci/run installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must never reach for the network
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.implicitly_wait(10)
    yield driver
    driver.quit()


@pytest.mark.parametrize("width", WIDTHS)
def test_checking_a_claim_shows_the_verdict_and_the_highlighted_number(browser, live_server, tmp_path, width):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.set_window_size(*WIDTHS[width])
    browser.get(live_server.url + "/")
    box = browser.find_element(By.ID, "claim")
    assert browser.find_element(By.CSS_SELECTOR, "label[for=claim]").is_displayed()
    box.send_keys("2,000 Afghan troops fled into Tajikistan")
    box.send_keys(Keys.TAB, Keys.ENTER)  # keyboard only: tab to the button and press it
    verdict = browser.find_element(By.CSS_SELECTOR, ".verdict strong")
    assert verdict.text == "Contradicted"
    assert "claim=2%2C000" in browser.current_url or "claim=2,000" in browser.current_url
    conflict = browser.find_element(By.XPATH, "//blockquote//mark[@class='inconsistent' and text()='1,037']")
    assert conflict.is_displayed() and "contradicts" in conflict.get_attribute("title")
    in_claim = browser.find_element(By.XPATH, "//p[@class='claim-marked']/mark[text()='2,000']")
    assert in_claim.get_attribute("class") == "inconsistent"
    reason = browser.find_element(By.ID, conflict.get_attribute("aria-describedby").split()[0])
    assert reason.is_displayed() and "off by" in reason.text
    page_width = browser.execute_script("return document.documentElement.scrollWidth")
    assert page_width <= WIDTHS[width][0], "the page scrolls sideways"
    browser.save_screenshot(str(tmp_path / f"check-{width}.png"))


def test_uploading_a_claims_file_shows_the_results_table(browser, live_server, tmp_path):
    from selenium.webdriver.common.by import By

    claims = tmp_path / "claims.csv"
    claims.write_text('id,claim\nc1,"2,000 Afghan troops fled into Tajikistan"\nc2,\n'
                      'c3,Over 1000 Afghan troops fled into Tajikistan\n', encoding="utf-8")
    browser.set_window_size(*WIDTHS["desktop"])
    browser.get(live_server.url + "/batch/")
    browser.find_element(By.ID, "claims").send_keys(str(claims))
    browser.find_element(By.CSS_SELECTOR, "form.upload button").click()
    rows = browser.find_elements(By.CSS_SELECTOR, "table.results tbody tr")
    assert len(rows) == 3
    assert "contradicted" in rows[0].text.lower() and "c1" in rows[0].text
    assert "error" in rows[1].text.lower() and "empty" in rows[1].text
    assert "supported" in rows[2].text.lower()
    csv_link = browser.find_element(By.LINK_TEXT, "CSV").get_attribute("href")
    assert csv_link.endswith("/results.csv")
    browser.save_screenshot(str(tmp_path / "batch-desktop.png"))
    browser.set_window_size(*WIDTHS["phone"])
    browser.save_screenshot(str(tmp_path / "batch-phone.png"))


@pytest.mark.parametrize("path", ["/", "/batch/", "/about", "/api/v1/docs"])
def test_every_page_fits_a_phone_and_its_menu_leaves_no_item_alone(browser, live_server, tmp_path, path):
    browser.set_window_size(*WIDTHS["phone"])
    browser.get(live_server.url + path)
    width, visible = browser.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width <= visible <= WIDTHS["phone"][0], f"{path} scrolls sideways ({width} px wide)"
    rows = browser.execute_script(
        "const rows = {}; for (const li of document.querySelectorAll('header.site nav li')) {"
        " const top = Math.round(li.getBoundingClientRect().top); rows[top] = (rows[top] || 0) + 1; }"
        " return Object.values(rows);")
    assert sum(rows) == 5 and min(rows) >= 2, f"menu rows {rows}"
    browser.save_screenshot(str(tmp_path / f"phone{path.replace('/', '-')}.png"))


def test_checking_a_pasted_text_marks_each_checked_sentence_and_links_to_its_result(browser, live_server, tmp_path):
    from selenium.webdriver.common.by import By

    browser.set_window_size(*WIDTHS["desktop"])
    browser.get(live_server.url + "/")
    browser.find_element(By.LINK_TEXT, "Check a text").click()
    browser.find_element(By.ID, "text").send_keys(
        "# At the border\n\n2,000 Afghan troops fled into Tajikistan. We went home and slept.\n")
    browser.find_element(By.CSS_SELECTOR, "input[name=format][value=markdown]").click()
    browser.find_element(By.CSS_SELECTOR, "form.text-form button").click()
    assert browser.find_element(By.CSS_SELECTOR, ".summary").text == "1 sentence checked: 1 contradicted"
    assert browser.find_element(By.CSS_SELECTOR, ".document h3").text == "At the border"
    marked = browser.find_element(By.CSS_SELECTOR, ".document a.sentence")
    assert "verdict-contradicted" in marked.get_attribute("class") and "[Contradicted]" in marked.text
    assert browser.find_element(By.ID, "s2").text == "We went home and slept."  # shown, not checked
    marked.click()
    assert browser.current_url.endswith("#r1")
    result = browser.find_element(By.ID, "r1")
    assert "Contradicted" in result.text and "1,037" in result.text and "figure, place" in result.text
    page_width = browser.execute_script("return document.documentElement.scrollWidth")
    assert page_width <= WIDTHS["desktop"][0], "the page scrolls sideways"
    browser.save_screenshot(str(tmp_path / "text-desktop.png"))
    browser.set_window_size(*WIDTHS["phone"])
    assert browser.execute_script("return document.documentElement.scrollWidth") <= WIDTHS["phone"][0]
    browser.save_screenshot(str(tmp_path / "text-phone.png"))
