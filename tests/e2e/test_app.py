"""End-to-end: the real Waymark app (Tauri + WebKitGTK) under Xvfb, driven
through tauri-driver and WebKitWebDriver. Run by scripts/e2e.sh, which makes
the demo store, starts tauri-driver and passes WAYMARK_STORE and
WAYMARK_APP. Screenshots of each screen go to $WAYMARK_SHOTS."""

import os
import sys

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.support.ui import WebDriverWait

SHOTS = os.environ["WAYMARK_SHOTS"]


def app():
    opts = ArgOptions()
    opts.set_capability("browserName", "wry")
    opts.set_capability("tauri:options", {"application": os.environ["WAYMARK_APP"]})
    return webdriver.Remote(command_executor="http://127.0.0.1:4444", options=opts)


def unlock(d, user, passphrase):
    wait = WebDriverWait(d, 30)
    wait.until(lambda d: d.find_elements(By.ID, "passphrase"))
    d.find_element(By.ID, "user").clear()
    d.find_element(By.ID, "user").send_keys(user)
    d.find_element(By.ID, "passphrase").send_keys(passphrase)
    d.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


def main():
    d = app()
    try:
        wait = WebDriverWait(d, 30)
        wait.until(lambda d: d.find_elements(By.ID, "passphrase"))
        assert d.title == "Waymark", f"no case data in the title: {d.title!r}"
        d.save_screenshot(os.path.join(SHOTS, "01-unlock.png"))

        # A wrong passphrase: a plain-language error, and still locked.
        unlock(d, "demo", "not the passphrase")
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "[role=alert]"))
        error = d.find_element(By.CSS_SELECTOR, "[role=alert]").text
        assert "wrong passphrase" in error, error
        assert not d.find_elements(By.CSS_SELECTOR, "tbody tr")
        d.save_screenshot(os.path.join(SHOTS, "02-wrong-passphrase.png"))

        # The right one: the caseload of the demo store.
        unlock(d, "demo", "demo passphrase")
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "tbody tr"))
        rows = d.find_elements(By.CSS_SELECTOR, "tbody tr")
        assert len(rows) == int(os.environ["WAYMARK_CASES"]), len(rows)
        d.save_screenshot(os.path.join(SHOTS, "03-caseload.png"))

        # Lock: the case data is gone from the window.
        d.find_element(By.CSS_SELECTOR, "button.quick-exit").click()
        wait.until(lambda d: d.find_elements(By.ID, "passphrase"))
        assert not d.find_elements(By.CSS_SELECTOR, "tbody tr")
        assert "Caseload" not in d.find_element(By.TAG_NAME, "body").text
        d.save_screenshot(os.path.join(SHOTS, "04-locked.png"))
    finally:
        d.quit()
    print("e2e: unlock, wrong passphrase, caseload, lock: ok")


if __name__ == "__main__":
    sys.exit(main())
