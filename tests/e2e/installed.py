"""The app as a Debian package installs it, driven through WebDriver (run by
scripts/package-test.sh, which installs the .deb into a clean Debian root
and points WAYMARK_APP at a wrapper that starts /usr/bin/waymark-app there).

The person's store was written by an earlier release (tests/fixtures/): the
installed app must start on its unlock screen, unlock it (migrating it) and
show every case the earlier release wrote.

  WAYMARK_USER, WAYMARK_PASSPHRASE  who unlocks
  WAYMARK_CASES                     the names the caseload must show, '|'-separated
  WAYMARK_SHOTS                     where the screenshots go"""

import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.options import ArgOptions


def wait_for(d, what, find, seconds=60):
    end = time.time() + seconds
    while time.time() < end:
        found = find()
        if found:
            return found
        time.sleep(0.1)
    d.save_screenshot(os.path.join(os.environ["WAYMARK_SHOTS"], "installed-failure.png"))
    raise SystemExit(f"FAILED the installed app never showed {what}")


def main():
    opts = ArgOptions()
    opts.set_capability("browserName", "wry")
    opts.set_capability("tauri:options", {"application": os.environ["WAYMARK_APP"]})
    d = webdriver.Remote(command_executor="http://127.0.0.1:4444", options=opts)
    shots = os.environ["WAYMARK_SHOTS"]
    try:
        wait_for(d, "its unlock screen", lambda: d.find_elements(By.ID, "passphrase"))
        d.save_screenshot(os.path.join(shots, "installed-unlock.png"))
        print("installed app: the unlock screen")
        d.find_element(By.ID, "user").send_keys(os.environ["WAYMARK_USER"])
        d.find_element(By.ID, "passphrase").send_keys(os.environ["WAYMARK_PASSPHRASE"])
        d.find_element(By.CSS_SELECTOR, "form.unlock button[type=submit]").click()
        rows = wait_for(d, "the caseload", lambda: d.find_elements(By.CSS_SELECTOR, "table.caseload tbody tr"))
        shown = " ".join(r.text for r in rows)
        missing = [name for name in os.environ["WAYMARK_CASES"].split("|") if name not in shown]
        d.save_screenshot(os.path.join(shots, "installed-caseload.png"))
        if missing:
            print(f"FAILED the upgraded store's caseload lacks {missing}; it shows: {shown}")
            return 1
        print(f"installed app: unlocked the earlier release's store, {len(rows)} cases shown")
    finally:
        d.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
