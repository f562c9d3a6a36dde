"""End-to-end: the real Waymark app (Tauri + WebKitGTK) under Xvfb, driven
through tauri-driver and WebKitWebDriver, against a real sync server.

Run by scripts/e2e.sh, which builds everything, starts the demo server
(scripts/demo-server.sh) and passes:
  WAYMARK_APP      the app binary          WAYMARK_STORE  the app's (empty) store
  WAYMARK_CLI      the CLI binary          WAYMARK_WORK   a scratch directory
  WAYMARK_DEMO_DIR the demo server's dir   WAYMARK_AXE    axe-core's axe.min.js
  WAYMARK_SHOTS    where screenshots go
and the WAYMARK_DEMO_* variables of the demo server.

The walk: enrol (a refused passphrase first), the caseload and its filters,
a new case (bad input first), the masked address and its reveal, a note
whose draft survives a quick exit, search, an appointment outcome, an
assessment crossing its threshold and the prompted referral, the support
plan chart, a flag, attachments (the size limit first), agenda, settings,
sync; then offline edits synced later, a supervisor's CLI store receiving
them through the server, and a conflict reviewed in the app. axe-core is
injected on every main screen and must report no violations."""

import datetime
import json
import os
import re
import subprocess
import sys
import time
import zipfile

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.options import ArgOptions
from selenium.webdriver.remote.file_detector import UselessFileDetector
from selenium.webdriver.support.ui import Select, WebDriverWait

SHOTS = os.environ["WAYMARK_SHOTS"]
WORK = os.environ["WAYMARK_WORK"]
DEMO_DIR = os.environ["WAYMARK_DEMO_DIR"]
CLI = os.environ["WAYMARK_CLI"]
PASS = os.environ["WAYMARK_DEMO_PASSPHRASE"]
WORKER = os.environ["WAYMARK_DEMO_WORKER"]
SUPERVISOR = os.environ["WAYMARK_DEMO_SUPERVISOR"]
ADMIN = os.environ["WAYMARK_DEMO_ADMIN"]
VOLUNTEER = os.environ["WAYMARK_DEMO_VOLUNTEER"]
# The demo admin's own laptop (a CLI store): it confirms people.
ADMIN_STORE = os.environ["WAYMARK_DEMO_ADMIN_STORE"]
AXE = open(os.environ["WAYMARK_AXE"], encoding="utf-8").read()
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHECKED = []
# Screens whose every word came from the resources (the pseudo-locale walk).
CHECKED_LANGUAGES = []
# Screens with words not from the resources: every one is named at the end,
# not only the first (the walk goes on).
NOT_FROM_RESOURCES = {}


def app():
    opts = ArgOptions()
    opts.set_capability("browserName", "wry")
    opts.set_capability("tauri:options", {"application": os.environ["WAYMARK_APP"]})
    d = webdriver.Remote(command_executor="http://127.0.0.1:4444", options=opts)
    # The app runs on this machine: file inputs take local paths as they are.
    d.file_detector = UselessFileDetector()
    return d


class Walk:
    def __init__(self, d):
        self.d = d
        # A screen re-rendered between finding an element and reading it is
        # read again.
        self.wait = WebDriverWait(d, 30, ignored_exceptions=[StaleElementReferenceException])

    def find(self, css):
        self.wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, css))
        return self.d.find_element(By.CSS_SELECTOR, css)

    def gone(self, css):
        self.wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, css))

    def text_in(self, css, words):
        self.wait.until(
            lambda d: any(words in e.text for e in d.find_elements(By.CSS_SELECTOR, css)),
            f"{words!r} in {css}",
        )

    def hidden_text_in(self, element_id, words):
        """`words` in an element only a screen reader reads (WebDriver's
        text is what is visible)."""
        self.wait.until(
            lambda d: words in d.execute_script(
                "return document.getElementById(arguments[0]).textContent", element_id),
            f"{words!r} in #{element_id}",
        )

    def fill(self, element_id, text):
        """Types `text` into a field, and checks it arrived. WebKitWebDriver
        has once (in CI, stop 35) answered a keystroke command with an empty
        error while the page was fine: that is typed again, once, and said
        in the log; a field that does not take the words fails."""
        for attempt in (1, 2):
            e = self.find(f'[id="{element_id}"]')
            try:
                e.clear()
                e.send_keys(text)
                break
            except StaleElementReferenceException:
                raise
            except WebDriverException as err:
                if attempt == 2:
                    raise
                print(f"e2e: typing into #{element_id} failed ({err.msg!r}); typing it again",
                      file=sys.stderr)
                time.sleep(1)
        got = e.get_property("value")
        assert got == text, f"#{element_id} holds {got!r} after typing {text!r}"
        return e

    def add_person_and_connect(self, name, admin=False, code=None, lands="#caseload-count"):
        """A second person on this shared laptop joins from the unlock
        screen, with a store of their own and no one else's passphrase (with
        `code`, the enrolment code their administrator gave them); the
        unlock screen names no one who uses the laptop. The admin confirms
        them (comparing the phrase this laptop shows) and they sync."""
        self.quick_exit()
        body = self.body()
        for someone in (WORKER, SUPERVISOR, ADMIN, VOLUNTEER):
            assert someone not in body, f"the unlock screen names {someone}"
        self.click("#new-person")
        self.find("#first-run-title")
        self.fill("server", os.environ["WAYMARK_DEMO_SERVER"])
        self.fill("user", name)
        if code:
            # A mistyped code first: named beside its field, nothing made.
            self.fill("enrolment_code", "7K2M-QX9P-AB3D-EF4G-HJ5K")
            self.fill("passphrase", PASS)
            self.fill("passphrase-again", PASS)
            self.click("#join")
            self.text_in("#enrolment_code-error", "wrong, used already or expired")
            self.shot("23a-join-wrong-code")
            self.fill("enrolment_code", code.lower())
        self.fill("passphrase", PASS)
        self.fill("passphrase-again", PASS)
        self.click("#join")
        self.find(lands)
        self.confirm_here(name, admin)
        self.sync_until("Up to date")

    def confirm_here(self, name, admin=False):
        """The admin confirms the person unlocked here, by the phrase this
        laptop's Settings shows (read to them, as on a call)."""
        self.button("Settings", "nav")
        self.text_in("#identity-state", "Waiting for an administrator to confirm you")
        phrase = self.find("#identity-phrase").text
        cli(ADMIN_STORE, "confirm", name, "--fingerprint", phrase, *(["--admin"] if admin else []))

    def sync_until(self, words, tries=15):
        """Syncs now and then until the status says `words` (keys come from
        a colleague's laptop that syncs every 2 s)."""
        self.button("Sync", "nav")
        for _ in range(tries):
            self.wait.until(lambda d: self.find("#sync-now").text == "Sync now")
            self.click("#sync-now")
            time.sleep(0.5)
            self.wait.until(lambda d: self.find("#sync-now").text == "Sync now"
                            and "Syncing" not in self.find("#sync-status").text)
            if words in self.find("#sync-status").text:
                return
            time.sleep(1)
        self.text_in("#sync-status", words)

    def sync_once(self):
        """One sync from the Sync screen, started once any sync running
        (the app's own) has finished, and waited for."""
        self.wait.until(lambda d: self.find("#sync-now").text == "Sync now")
        self.click("#sync-now")
        time.sleep(0.5)
        self.wait.until(lambda d: self.find("#sync-now").text == "Sync now"
                        and "Syncing" not in self.find("#sync-status").text)

    def paste(self, element_id, text):
        """As a paste puts text into a field (typing a newline into a
        textarea through WebKitWebDriver does not arrive)."""
        e = self.find(f'[id="{element_id}"]')
        self.d.execute_script("arguments[0].value = arguments[1]", e, text)
        return e

    def choose(self, element_id, value):
        Select(self.find(f"#{element_id}")).select_by_value(value)

    def click(self, css):
        e = self.find(css)
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", e)
        # Two frames for a render in flight to land (an error summary that
        # takes focus scrolls the page) before the pointer goes there.
        self.d.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "requestAnimationFrame(() => requestAnimationFrame(() => done()))")
        e.click()

    def button(self, words, within="body"):
        """The first visible button whose text contains `words`."""
        def hit(d):
            for b in d.find_elements(By.CSS_SELECTOR, f"{within} button"):
                if words in b.text and b.is_displayed():
                    return b
            return False
        b = self.wait.until(hit, f"a button {words!r}")
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", b)
        b.click()

    def body(self):
        return self.d.find_element(By.TAG_NAME, "body").text

    def shot(self, name):
        self.d.save_screenshot(os.path.join(SHOTS, f"{name}.png"))
        # Twice an input right after a screenshot was lost or refused (a
        # click, a keystroke): let the page paint twice and settle first.
        self.d.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 200)))")

    def run_axe(self):
        """axe-core's WCAG 2.2 A/AA rules on the window as it is now."""
        self.d.execute_script(AXE)
        result = self.d.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
            ".then(r => done(JSON.stringify({passes: r.passes.length, violations: r.violations.map(v => ({id: v.id,"
            " impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))})))"
            ".catch(e => done('error: ' + e));",
            AXE_TAGS,
        )
        assert not result.startswith("error"), result
        return json.loads(result)

    def axe(self, screen):
        """No violations on this screen (and axe really looked: rules passed)."""
        result = self.run_axe()
        assert result["passes"] > 0, f"axe checked nothing on {screen}"
        assert not result["violations"], f"axe on {screen}: {json.dumps(result['violations'], indent=1)}"
        CHECKED.append(screen)

    def axe_catches_a_planted_fault(self):
        """The check can fail: an unlabelled input planted in the window is reported."""
        self.d.execute_script("const i = document.createElement('input'); i.id = 'planted';"
                              " document.body.appendChild(i);")
        ids = [v["id"] for v in self.run_axe()["violations"]]
        self.d.execute_script("document.getElementById('planted').remove()")
        assert "label" in ids, ids

    def reload_in(self, language, landmark, go=None):
        """The app started again with `language` stored ('en-GB', 'cy' or
        the pseudo-locale 'x-pseudo'), then `go()`, showing `landmark`."""
        self.d.execute_script("window.__before_reload = true;"
                              "localStorage.setItem('waymark-language', arguments[0]); location.reload()", language)

        def started(d):
            try:
                return (d.execute_script("return window.__before_reload === undefined && document.documentElement.lang")
                        == language.replace("x-pseudo", "en-GB") and d.find_elements(By.CSS_SELECTOR, "#main"))
            except WebDriverException:  # the page is between documents
                return False
        self.wait.until(started)
        if go:
            go()
        self.find(landmark)

    # Every text node and every attribute read out (labels, titles), but
    # what is marked translate="no" (people's names and the like).
    VISIBLE_WORDS = """
        const out = [];
        const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        while (walk.nextNode()) {
            const e = walk.currentNode.parentElement;
            if (e && !e.closest('[translate=no], script, style')) out.push(walk.currentNode.nodeValue);
        }
        for (const e of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
            if (e.closest('[translate=no]')) continue;
            for (const a of ['aria-label', 'title', 'placeholder', 'alt']) out.push(e.getAttribute(a) || '');
        }
        return out.join(' ');"""

    def all_from_resources(self, screen, landmark, data=(), go=None, welsh_axe=False):
        """In the pseudo-locale every letter the resources give is accented:
        a word still in plain letters on `screen` was not looked up (`data`:
        words of arguments inside the app's sentences, not the app's own).
        With `welsh_axe`, the screen in Welsh is axe-clean too."""
        if welsh_axe:
            self.reload_in("cy", landmark, go)
            self.axe(f"{screen} (Cymraeg)")
        self.reload_in("x-pseudo", landmark, go)
        text = self.d.execute_script(self.VISIBLE_WORDS)
        allowed = {w for d in (*data, "Ctrl") for w in re.findall(r"[A-Za-z]{2,}", d)}
        plain = sorted({w for w in re.findall(r"[A-Za-z]{2,}", text)} - allowed)
        self.shot(f"pseudo-{screen.replace(' ', '-')}")
        if plain:
            print(f"e2e: {screen}: text not from the resources: {plain}\n{text}")
            NOT_FROM_RESOURCES[screen] = plain
        self.reload_in("en-GB", landmark, go)
        CHECKED_LANGUAGES.append(screen)

    def tab_to(self, wanted, limit=80):
        """Presses Tab until `wanted(focused element)`; the focus must be visible."""
        for _ in range(limit):
            ActionChains(self.d).send_keys(Keys.TAB).perform()
            e = self.d.switch_to.active_element
            if wanted(e):
                outline = self.d.execute_script(
                    "const s = getComputedStyle(arguments[0]); return s.outlineStyle + ' ' + s.outlineWidth;", e)
                assert not outline.startswith("none"), f"focus must be visible: {outline}"
                return e
        raise AssertionError("not reachable by Tab")

    def unlock(self, user, passphrase):
        self.find("#passphrase")
        self.fill("user", user)
        self.fill("passphrase", passphrase)
        self.click("form.unlock button[type=submit]")

    def locked_and_reloaded(self, lock):
        """Runs `lock` and waits for the page the backend reloads after a
        lock (so nothing stays in its memory): a marker set before is gone
        and the unlock form is there."""
        self.d.execute_script("window.__before_lock = true")
        lock()

        def reloaded(d):
            try:
                return (d.execute_script("return window.__before_lock === undefined")
                        and d.find_elements(By.CSS_SELECTOR, "#passphrase"))
            except WebDriverException:  # the page is between documents
                return False
        WebDriverWait(self.d, 30).until(reloaded, "the page reloaded after the lock")

    def quick_exit(self):
        def press():
            # Blank in the same turn as the click, before the lock reloads.
            blank = self.d.execute_script(
                "document.getElementById('quick-exit').click();"
                "return document.documentElement.classList.contains('exiting')")
            assert blank, "the window is blank at once"
        self.locked_and_reloaded(press)

    def quick_exit_by_key(self):
        # As a person does: Ctrl+L pressed wherever the focus is.
        self.locked_and_reloaded(lambda: ActionChains(self.d).key_down(Keys.CONTROL)
                                 .send_keys("l").key_up(Keys.CONTROL).perform())
        self.find("#passphrase")

    def shifts(self, times):
        chain = ActionChains(self.d)
        for _ in range(times):
            chain = chain.key_down(Keys.SHIFT).key_up(Keys.SHIFT)
        chain.perform()

    def quick_exit_by_shift(self):
        self.locked_and_reloaded(lambda: self.shifts(3))
        self.find("#passphrase")

    def open_case(self, name):
        self.button("Caseload", "nav")
        self.show_case(name)

    def show_case(self, name):
        """Searches the caseload for `name` and opens the case. The list
        answers the search while the first load may still land (after a
        reload): a click on a row the render then replaced goes nowhere (CI,
        stop 43), so it is made again, at most twice, while no case opens."""
        self.fill("search", name)
        for attempt in (1, 2, 3):
            self.button(name, "table")
            try:
                WebDriverWait(self.d, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#case-title"))
                return
            except TimeoutException:
                print(f"e2e: opening {name!r} took no click {attempt}; clicking again", flush=True)
        self.find("#case-title")

    def section(self, label):
        self.button(label, "nav[aria-label='Case sections']")


def app_pid():
    """The app's process id (tauri-driver started it)."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            program = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")[0]
        except OSError:
            continue
        if program.endswith(b"waymark-app"):
            return pid
    raise AssertionError("the app is not running")


def new_code(user):
    """The administrator's `new-code`: a one-time enrolment code for `user`."""
    server = os.path.join(os.path.dirname(CLI), "waymark-server")
    db = os.path.join(DEMO_DIR, "server.db")
    out = subprocess.run([server, "--db", db, "--json", "admin", "new-code", "--user", user],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["enrolment_code"]


def cli(store, *args, passphrase=PASS):
    env = dict(os.environ, WAYMARK_PASSPHRASE=passphrase, WAYMARK_NEW_PASSPHRASE=passphrase)
    out = subprocess.run([CLI, "--store", store, *args], env=env, capture_output=True, text=True)
    assert out.returncode == 0, f"waymark {args}: {out.stderr}"
    return out.stdout


def server_down():
    pid = int(open(os.path.join(DEMO_DIR, "server.pid")).read())
    os.kill(pid, 9)
    time.sleep(0.3)


def server_up():
    subprocess.run(
        ["bash", "scripts/demo-server.sh", DEMO_DIR, os.path.dirname(CLI)],
        check=True, capture_output=True,
    )


def main():
    d = app()
    w = Walk(d)
    try:
        walk(w)
    except Exception:
        failure_evidence(w)
        raise
    finally:
        d.quit()
    print(f"e2e: every workflow ok; axe-core found no violations on {len(CHECKED)} screens: {', '.join(CHECKED)}")
    assert not NOT_FROM_RESOURCES, f"text not from the resources: {NOT_FROM_RESOURCES}"
    print(f"e2e: every word from the resources (pseudo-locale) on {len(CHECKED_LANGUAGES)} screens: {', '.join(CHECKED_LANGUAGES)}")


def failure_evidence(w):
    """What the screen showed when a step failed, each part taken however
    broken the WebDriver session is by then (its screenshot, its text), and
    whether the app and WebKit's processes still run."""
    for what, take in (("screenshot", lambda: w.shot("zz-failure")),
                       ("page text", lambda: print(w.body()[:3000], file=sys.stderr))):
        try:
            take()
        except Exception as err:
            print(f"e2e: no {what} from WebDriver ({err!r})", file=sys.stderr)
    ps = subprocess.run(["ps", "-eo", "pid,rss,etime,comm"], capture_output=True, text=True).stdout
    print("e2e: processes at the failure:\n" + "\n".join(
        line for line in ps.splitlines() if "WebKit" in line or "waymark" in line or "PID" in line),
        file=sys.stderr)


def walk(w):
    d = w.d
    # --- First run: join the organisation --------------------------------------------
    w.find("#first-run-title")
    assert d.title == "Waymark", f"no case data in the title: {d.title!r}"
    # The shell sets the webview's language, which orders its date and time
    # boxes (03/02/2026, 14:05), whatever the process locale (C here).
    languages = d.execute_script("return navigator.languages")
    assert languages[:1] == ["en-GB"], f"date boxes follow {languages}, not UK form"
    w.axe_catches_a_planted_fault()
    w.axe("first run")
    w.shot("01-first-run")

    # --- Welsh: the switch changes every word at once, and back ----------------------
    w.click("#language-switch")
    w.text_in("#first-run-title", "Croeso i Waymark")
    assert d.execute_script("return document.documentElement.lang") == "cy"
    w.text_in("label[for=server]", "Cyfeiriad y gweinydd")
    w.axe("first run in Welsh")
    w.shot("01a-first-run-cymraeg")
    w.click("#language-switch")
    w.text_in("#first-run-title", "Welcome to Waymark")
    assert d.execute_script("return document.documentElement.lang") == "en-GB"
    demo_words = [os.environ[k] for k in os.environ if k.startswith("WAYMARK_DEMO_")]
    w.all_from_resources("first run", "#first-run-title", data=demo_words)

    w.click("#use-demo")
    w.fill("passphrase", "not the demo passphrase")
    w.fill("passphrase-again", "not the demo passphrase")
    w.click("#join")
    w.text_in("#passphrase-error", "does not know this user name")
    assert w.find("#passphrase").get_attribute("aria-invalid") == "true"
    people = os.path.join(os.environ["WAYMARK_STORE"], "people")
    assert not os.path.exists(people) or not os.listdir(people), \
        "a refused enrolment must leave no store behind"
    w.shot("02-join-refused")

    w.click("#use-demo")
    w.click("#join")
    w.find("#caseload-count")
    # Colleagues' laptops pass case keys only to people an admin confirmed:
    # until then this laptop says it waits, and why.
    w.text_in("#sync-status", "Waiting for an admin to confirm you")
    w.button("Settings", "nav")
    w.text_in("#identity-state", "Waiting for an administrator")
    d.execute_script("document.getElementById('identity-state').scrollIntoView()")
    w.shot("03b-waiting-for-confirmation")
    w.confirm_here(WORKER)
    w.button("Caseload", "nav")
    # Cases are end-to-end encrypted: this new laptop reads them once a device
    # holding their keys (the demo's other laptop, syncing every 2 s) has
    # sealed them to its key. Until then what was pulled waits, and says so.
    for _ in range(15):
        if "40 cases" in w.find("#caseload-count").text:
            break
        if "wait for their case keys" in w.find("#sync-status").text:
            w.shot("03a-waiting-for-keys")
        time.sleep(1)
        w.button("Sync", "nav")
        w.click("#sync-now")
        # Finished, not merely not yet started: a sync still running would
        # hold the session while the next steps type.
        time.sleep(0.5)
        w.wait.until(lambda d: w.find("#sync-now").text == "Sync now"
                     and "Syncing" not in w.find("#sync-status").text)
        w.button("Caseload", "nav")
    w.text_in("#caseload-count", "40 cases")
    rows = d.find_elements(By.CSS_SELECTOR, "table.caseload tbody tr")
    assert len(rows) == 40, len(rows)
    w.text_in("#sync-status", "Up to date")
    w.axe("caseload")
    w.shot("03-caseload")
    navs = [b.text for b in d.find_elements(By.CSS_SELECTOR, "nav button")]
    assert "Reports" not in navs, f"a worker has no reports: {navs}"

    # Filters: high risk only, then everyone again; my cases are the demo worker's.
    w.choose("risk", "high")
    w.wait.until(lambda d: all("High" in r.text for r in d.find_elements(By.CSS_SELECTOR, "table.caseload tbody tr")))
    high = len(d.find_elements(By.CSS_SELECTOR, "table.caseload tbody tr"))
    assert 0 < high < 40, high
    w.choose("risk", "")
    w.click("#mine")
    w.text_in("#caseload-count", "40 cases")

    # --- A new case: bad input first ------------------------------------------------
    w.click("#new-case")
    w.find("#new-case-title")
    w.axe("new case")
    w.fill("full_name", "   ")
    w.click("#create-case")
    w.text_in("#full_name-error", "must not be empty")
    # The GOV.UK error summary: before the fields, focused, its link to the field.
    summary = w.find(".error-summary")
    assert d.execute_script(
        "return document.activeElement.classList.contains('error-summary')"), "the summary takes focus"
    assert d.execute_script(
        "return !!(document.querySelector('.error-summary').compareDocumentPosition("
        "document.getElementById('full_name')) & Node.DOCUMENT_POSITION_FOLLOWING)"), "the summary comes first"
    link = summary.find_element(By.CSS_SELECTOR, 'a[href="#full_name"]')
    assert "Full name: must not be empty" in link.text, link.text
    link.click()
    assert d.execute_script("return document.activeElement.id") == "full_name", "the link goes to the field"
    w.shot("04-new-case-error")
    # The refusal is the core's reason, said in the language in force: at once in Welsh.
    w.click("#language-switch")
    w.text_in("#full_name-error", "ni all fod yn wag")
    # The summary's link names the field as its label now reads, in Welsh too.
    w.text_in(".error-summary", "Enw llawn: ni all fod yn wag")
    w.shot("04a-new-case-error-cymraeg")
    w.click("#language-switch")
    w.text_in("#full_name-error", "must not be empty")
    w.text_in(".error-summary", "Full name: must not be empty")
    w.fill("full_name", "Orla Testcase")
    w.fill("pronouns", "she/her")
    w.fill("phone", "07700 900123")
    w.fill("address", "1 Refuge Lane, Sometown")
    w.click("#address_restricted")
    w.choose("calls_safe", "false")
    w.choose("texts_safe", "true")
    w.fill("instructions", "Text only after 6pm. Never call: her ex-partner checks the phone.")
    w.click("#create-case")

    # --- The case page: safe contact always shown, the address masked ---------------
    w.text_in("#case-title", "Orla Testcase")
    w.text_in("#safe-instructions", "Never call")
    assert "Refuge Lane" not in w.body(), "a restricted address is masked until revealed"
    w.text_in("#address", "restricted")
    assert d.title == "Waymark", f"no case data in the title: {d.title!r}"
    w.axe("case page")
    w.shot("05-case")
    w.click("#reveal-address")
    w.text_in("#address", "1 Refuge Lane")
    w.shot("06-address-revealed")

    # --- Where the episode has got to: a dated stage move, bad input named first -----
    w.text_in(".case-header .meta", "(open), referred")
    w.click("#move-stage")
    w.choose("stage", "engaged")
    w.paste("on", "2999-01-01")
    w.click("#confirm-stage")
    w.text_in("#on-error", "1 Jan 2999 is in the future")
    w.paste("on", datetime.date.today().isoformat())
    w.click("#confirm-stage")
    w.text_in(".case-header .meta", "(open), engaged")
    w.shot("06b-stage")

    # --- A note whose draft survives a quick exit -------------------------------------
    w.choose("contact_type", "phone")
    w.fill("duration_minutes", "25")
    w.fill("body", "Talked through housing options and the zebrafinch safety plan.")
    w.text_in("#draft-status", "Draft saved")
    w.quick_exit_by_key()
    body = w.body()
    assert "Orla" not in body and "zebrafinch" not in body and "Caseload" not in body, body
    w.shot("07-quick-exit")
    w.unlock(WORKER, PASS)
    w.find("#caseload-title")
    w.open_case("Orla Testcase")
    w.text_in("#draft-status", "Draft brought back")
    assert "zebrafinch" in w.find("#body").get_attribute("value")
    w.click("#save-note")
    w.text_in("ol.notes", "zebrafinch")
    # Its time as people in the UK write it: "2 Dec 2026, 14:05".
    assert re.search(r"\b\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}\b", w.find("ol.notes").text), w.find("ol.notes").text
    w.axe("notes")

    # Typing then quick exit at once (before the autosave timer): still kept;
    # this time by GOV.UK's gesture, Shift three times. Two, then another
    # key, start it again (each step said to a screen reader).
    w.choose("contact_type", "text")
    w.find("#body").send_keys("Replied by text: wagtail")
    w.shifts(2)
    w.hidden_text_in("exit-status", "Shift, press 1 more time to exit.")
    w.find("#body").send_keys(".")
    w.hidden_text_in("exit-status", "Exit this page expired.")
    w.text_in("#case-title", "Orla Testcase")
    w.quick_exit_by_shift()
    w.unlock(WORKER, PASS)
    w.find("#caseload-title")
    w.open_case("Orla Testcase")
    w.text_in("#draft-status", "Draft brought back")
    assert "wagtail" in w.find("#body").get_attribute("value")
    w.button("Discard draft")
    w.text_in("#draft-status", "Draft discarded")
    w.shot("08-notes")

    # Amend it with a reason; the history keeps both.
    w.button("Amend", "ol.notes")
    amend = w.find("ol.notes textarea")
    amend.clear()
    amend.send_keys("Talked through housing options and the zebrafinch safety plan (amended).")
    w.find("ol.notes input[id^=reason-]").send_keys("Added the plan's name")
    w.button("Save amendment", "ol.notes")
    w.text_in("ol.notes", "(amended)")
    w.button("History", "ol.notes")
    w.text_in("ol.history", "reason: Added the plan's name")

    # --- Search finds the note ----------------------------------------------------------
    w.button("Caseload", "nav")
    w.fill("search", "zebrafin")
    w.text_in(".hits", "Orla Testcase")
    w.shot("09-search")

    # --- An appointment and its outcome --------------------------------------------------
    w.open_case("Orla Testcase")
    w.section("Appointments")
    # 90 minutes ago, or halfway through today if that was yesterday (so
    # the agenda's "this week" holds it even just after Monday's midnight).
    start = d.execute_script(
        "const now = new Date(), midnight = new Date(now); midnight.setHours(0, 0, 0, 0);"
        "let t = new Date(now - 90 * 60000);"
        "if (t < midnight) t = new Date(midnight.getTime() + (now - midnight) / 2);"
        "return new Date(t - t.getTimezoneOffset() * 60000).toISOString().slice(0, 16);")
    d.execute_script("document.getElementById('starts_at').value = arguments[0]", start)
    w.choose("agency", "housing")
    w.fill("place", "Council offices")
    w.button("Add appointment")
    w.text_in("ul.appointments", "Council offices")
    Select(w.find("ul.appointments select")).select_by_value("attended")
    w.button("Record outcome", "ul.appointments")
    w.text_in("ul.appointments", "Outcome: Attended")
    w.axe("appointments")
    w.shot("10-appointments")

    # --- An assessment crosses its threshold: the prompt, then the referral ----------
    w.section("Assessments")
    w.find(".assessment-form")
    w.text_in("#live-score", "Score 0")
    yes = d.find_elements(By.CSS_SELECTOR, ".assessment-form input[type=radio][value=yes]")
    for r in yes:
        d.execute_script("arguments[0].scrollIntoView({block: 'center'})", r)
        r.click()
    for t in d.find_elements(By.CSS_SELECTOR, ".assessment-form textarea"):
        t.send_keys("Seen today")
    w.text_in("#live-score", "This score prompts")
    w.axe("assessment")
    w.shot("11-assessment-live")
    w.click("#save-assessment")
    w.find("button.make-referral")
    w.shot("12-assessment-prompt")
    w.click("button.make-referral")
    w.text_in("ul.assessments", "Decision: Made")
    w.section("Referrals and flags")
    w.text_in("section[aria-labelledby=refs-title]", "MARAC —")

    # A flag raised shows in the header.
    w.choose("kind", "stalking")
    w.fill("detail", "Follows her to the school gate")
    w.button("Raise flag")
    w.text_in("ul.flags", "Stalking")

    # A referral's outcome in words, kept, then the referral closed.
    w.choose("agency", "housing")
    w.fill("reason", "Needs a safe tenancy")
    w.button("Make referral")
    w.text_in("section[aria-labelledby=refs-title]", "Needs a safe tenancy")

    def housing():
        return d.find_element(By.XPATH, "//section[@aria-labelledby='refs-title']//li[contains(., 'Needs a safe tenancy')]")
    housing().find_element(By.CSS_SELECTOR, "input[id^=outcome-]").send_keys("Offered a flat on the Mill estate")
    housing().find_element(By.CSS_SELECTOR, "button[id^=save-outcome-]").click()
    w.wait.until(lambda d: "Outcome: Offered a flat on the Mill estate" in housing().text, "the outcome kept")
    housing().find_element(By.CSS_SELECTOR, "button[id^=close-referral-]").click()
    w.wait.until(lambda d: "(Closed, made" in housing().text
                 and not housing().find_elements(By.CSS_SELECTOR, "button[id^=close-referral-]"), "closed")
    assert "Outcome: Offered a flat on the Mill estate" in housing().text
    w.axe("referrals and flags")
    w.shot("13-referrals-flags")

    # --- Incidents: the third police call-out in twelve months prompts a MARAC referral ---
    w.section("Incidents")
    w.text_in("section[aria-labelledby=incidents-title]", "No incidents recorded")
    w.paste("occurred_on", "2999-01-01")
    w.button("Record incident")
    w.text_in("#occurred_on-error", "1 Jan 2999 is in the future")
    today = datetime.date.today()
    for n, days_ago in enumerate([70, 30, 0], start=1):
        w.paste("occurred_on", (today - datetime.timedelta(days=days_ago)).isoformat())
        w.choose("kind", "physical")
        w.click("#police_called")
        w.button("Record incident")
        w.wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "li.incident")) == n)
    w.text_in("#incident-count", "Incidents in 12 months: 3 (3 with the police called)")
    w.text_in("ul.incidents", "3 police call-outs in 12 months meets the escalation criterion")
    w.axe("incidents")
    w.shot("13b-incident-prompt")
    # Until it is decided, the prompt waits on the Agenda's Due list.
    w.button("Agenda", "nav")
    w.text_in("ul.due", "Prompted by an incident, not yet decided")
    w.open_case("Orla Testcase")
    w.section("Incidents")
    w.click("ul.incidents button.make-referral")
    w.text_in("ul.incidents", "Decision: Made")
    # Her second MARAC referral within twelve months is marked a repeat.
    w.section("Referrals and flags")
    w.text_in("section[aria-labelledby=refs-title]", "repeat MARAC")

    # --- The MARAC referral form from the assessment's own answers, as a private file -----------
    w.section("Assessments")
    w.click("li.assessment .marac-form button")
    w.text_in(".marac-form-written", "Written to ")
    form_path = w.find(".marac-form-written").text.split("Written to ", 1)[1]
    form_html = open(form_path, encoding="utf-8").read()
    assert "Orla Testcase" in form_html and "Seen today" in form_html, form_path
    assert "MARAC referral" in form_html and "<script" not in form_html
    assert os.stat(form_path).st_mode & 0o777 == 0o600, oct(os.stat(form_path).st_mode)
    os.remove(form_path)

    # --- Details and consents: every detail in one form, the restricted address never in it ------
    w.section("Details and consents")
    w.find("#details-title")
    w.axe("details and consents")
    assert w.find("#person_address").get_attribute("value") == "", "a restricted address is never put in the form"
    assert "Refuge Lane" not in w.body()
    w.fill("phone", "call me maybe")
    w.click("#save-person")
    w.text_in("#phone-error", "must be a phone number")
    w.text_in(".error-summary", "Phone: must be a phone number")
    # A refusal keeps what she typed: the form is drawn again, never refilled.
    assert w.find("#phone").get_attribute("value") == "call me maybe"
    w.fill("phone", "07700 900456")
    w.click("#need-housing")
    w.click("#need-mental_health")
    w.paste("need-since-housing", "2026-02-03")  # known before today; mental health from today
    w.click("#save-person")
    w.text_in("#person-saved", "Saved")
    now = datetime.date.today()
    w.text_in("#needs-now", f"Needs: Mental health (since {now.day} {now.strftime('%b')} {now.year}), Housing (since 3 Feb 2026).")
    assert w.find("#need-since-housing").get_attribute("value") == "2026-02-03"
    w.paste("need-since-finance", "2999-01-01")
    w.click("#need-finance")
    w.click("#save-person")
    w.text_in("#needs-error", "1 Jan 2999 is in the future")
    w.text_in(".error-summary", "Needs: 1 Jan 2999 is in the future")
    assert w.find("#need-finance").is_selected(), "a refused save keeps the box ticked"
    assert w.find("#need-since-finance").get_attribute("value") == "2999-01-01"
    assert w.find("#need-housing").is_selected()
    w.click("#need-finance")  # untick it: the form saves again without it
    w.paste("need-since-finance", "")
    w.text_in(".safe-contact", "07700 900456")
    w.text_in("#address", "restricted")  # still there, still masked
    w.fill("consent_topic", "Sharing her details with her GP")
    w.choose("consent_agreed", "agreed")
    w.fill("consent_note", "Dr Ahmed, Mill Lane surgery")
    w.click("#record-consent")
    w.text_in("#consents", "Agreed: Sharing her details with her GP")
    w.text_in("#consents", "(Dr Ahmed, Mill Lane surgery)")
    w.fill("consent_topic", "Sharing with housing")
    w.choose("consent_agreed", "refused")
    w.paste("consent_on", "2999-01-01")
    w.click("#record-consent")
    w.text_in("#consent_on-error", "is in the future")
    assert w.find("#consent_on").get_attribute("value") == "2999-01-01", "the refused date stays to be corrected"
    assert w.find("#consent_topic").get_attribute("value") == "Sharing with housing"
    w.shot("12a-details-and-consents")
    # A subject access request: the whole record as one file she can read, readable by the worker alone.
    w.text_in("#sar-warning", "leaves the encrypted store")
    w.click("#write-sar")
    w.text_in("#sar-written", "Written to ")
    sar_path = w.find("#sar-written").text.split("Written to ", 1)[1]
    assert "Orla" not in os.path.basename(sar_path), sar_path
    assert os.stat(sar_path).st_mode & 0o777 == 0o600, oct(os.stat(sar_path).st_mode)
    with zipfile.ZipFile(sar_path) as z:
        assert z.namelist()[:2] == ["summary.html", "record.json"], z.namelist()
        summary = z.read("summary.html").decode()
        assert "Orla Testcase" in summary and "Sharing her details with her GP" in summary, summary[:500]
        assert "zebrafinch" in summary and "<script" not in summary
        assert json.loads(z.read("record.json"))["person"]["phone"] == "07700 900456"
    os.remove(sar_path)

    # A referral names the consent that covers it: only one she agreed is offered.
    w.section("Referrals and flags")
    w.choose("agency", "gp")
    w.fill("reason", "Registering with a new surgery")
    options = [o.get_attribute("value") for o in w.find("#consent_topic").find_elements(By.TAG_NAME, "option")]
    assert options == ["", "Sharing her details with her GP"], options
    w.choose("consent_topic", "Sharing her details with her GP")
    w.button("Make referral")
    w.text_in("section[aria-labelledby=refs-title]", "Consent: Sharing her details with her GP")
    w.axe("a referral naming its consent")

    # --- The safety plan (a review date needed) and the MARAC meeting, its action done -----------
    w.section("Safety plan and MARAC")
    w.paste("review_on", "2020-01-01")
    w.click("#save-safety-plan")
    w.text_in("#review_on-error", "1 Jan 2020 is in the past")
    w.fill("safe_places", "Her sister's flat on Mill Lane")
    w.fill("code_words", "Is the kettle on? means call 999")
    w.paste("review_on", (today + datetime.timedelta(days=28)).isoformat())
    w.click("#save-safety-plan")
    w.text_in("#safety-plan", "Her sister's flat on Mill Lane")
    # Dates as people in the UK write them, whatever the webview's locale.
    review = today + datetime.timedelta(days=28)
    w.text_in("#safety-review", f"{review.day} {review.strftime('%b')} {review.year}")
    w.paste("meeting_on", today.isoformat())
    w.fill("outcome", "Actions agreed")
    w.click("#add-marac-meeting")
    w.text_in("ul.marac", "Actions agreed")
    w.choose("agency", "police")
    w.fill("owner", "PC Jones")
    w.fill("action", "Flag the address")
    w.paste("due_on", (today + datetime.timedelta(days=7)).isoformat())
    w.click("#add-marac-action")
    w.text_in("ul.marac-actions", "Flag the address")
    w.axe("safety plan and MARAC")
    w.shot("13c-safety-marac")
    w.button("Done: Flag the address")
    w.text_in("ul.marac-actions", "done")

    # --- People linked: a child, and the other party hidden until revealed (recorded) -------------
    w.section("People linked")
    w.choose("relation", "other_party")
    w.fill("name", "Victor Quarrington")
    w.fill("details", "Drives a blue van")
    w.click("#add-linked-person")
    w.text_in("#linked-people", "Other party (hidden)")
    assert "Quarrington" not in w.find("#linked-people").text
    w.choose("relation", "child")
    w.fill("name", "Ada Testcase")
    w.paste("date_of_birth", (today + datetime.timedelta(days=2)).isoformat())
    w.click("#add-linked-person")
    w.text_in("#date_of_birth-error", "is in the future")
    w.paste("date_of_birth", "2019-04-02")
    w.choose("known_to_childrens_services", "yes")
    w.click("#add-linked-person")
    w.text_in("#linked-people", "Ada Testcase")
    w.text_in("#linked-people", "known to children's services: yes")
    w.click("button.reveal-linked")
    w.text_in("#linked-people", "Victor Quarrington")
    w.axe("people linked")
    w.shot("13d-linked")
    w.click("button.open-linked")
    w.fill("open_programme", "Domestic abuse outreach")
    w.click("#open-linked-case")
    w.text_in("#case-title", "Ada Testcase")
    w.section("People linked")
    w.text_in("ul.linked-from", "Orla Testcase")
    w.button("Orla Testcase", "ul.linked-from")
    w.text_in("#case-title", "Orla Testcase")

    # --- A group session with Orla on its register; an outreach tally -----------------------------
    w.button("Groups", "nav")
    w.fill("title", "Freedom Programme week 4")
    w.fill("place", "Women's centre")
    w.paste("held_on", today.isoformat())
    w.fill("facilitators", "Demo worker and Jo")
    w.fill("note", "Group note: the wren exercise")
    w.click("#add-group-session")
    w.button("Freedom Programme week 4", "#group-sessions")
    w.fill("register_name", "Orla")
    w.click("#find-for-register")
    w.button("Orla Testcase came", "#register-found")
    w.text_in("#register", "Orla Testcase — came")
    w.fill("site", "Market car park")
    w.fill("count", "0")
    w.click("#add-tally")
    w.text_in("#count-error", "must be from 1 to 1000")
    w.fill("count", "6")
    w.click("#help-food")
    w.click("#add-tally")
    w.text_in("#tallies", "Market car park: 6 contacts (Food)")
    w.axe("groups and outreach")
    w.shot("13e-groups")
    w.open_case("Orla Testcase")
    w.section("Timeline")
    w.text_in("ol.timeline", "Attended group: Freedom Programme week 4")
    assert "wren" not in w.find("ol.timeline").text

    # --- Support plan: a goal, two ratings, the chart --------------------------------------
    w.section("Support plan")
    w.choose("need_area", "housing")
    w.fill("description", "A safe tenancy")
    w.button("Add goal")
    w.text_in(".goal", "A safe tenancy")
    # Wait on the chart's points, not its caption: a caption's "6" is already in "2026".
    for count, rating in enumerate(["3", "6"], start=1):
        w.find(".goal input[id^=rating-]").send_keys(rating)
        w.button("Record rating", ".goal")
        w.wait.until(lambda d, count=count: len(d.find_elements(By.CSS_SELECTOR, ".chart circle")) == count)
    caption = w.find(".chart figcaption").text
    assert ": 3, " in caption and caption.endswith(": 6"), caption
    # Its status and review date, kept as the form shows them.
    review_day = today + datetime.timedelta(days=60)
    w.paste(w.find(".goal input[id^=review_on-]").get_attribute("id"), review_day.isoformat())
    Select(w.find(".goal select[id^=status-]")).select_by_value("achieved")
    w.button("Update goal", ".goal")
    w.text_in(".goal .meta", f"Achieved · review {review_day.day} {review_day.strftime('%b')} {review_day.year}")
    assert w.find(".goal select[id^=status-]").get_attribute("value") == "achieved"
    w.axe("support plan")
    w.shot("14-support-plan")

    # --- Attachments: the size limit's error, then a file that fits -------------------------
    w.section("Attachments")
    big = os.path.join(WORK, "scan-too-big.pdf")
    with open(big, "wb") as f:
        f.write(b"%PDF" + b"\0" * (11 * 1024 * 1024))
    w.find("#attachment").send_keys(big)
    w.button("Add attachment")
    w.text_in("#attachment-error", "MiB")
    assert w.find("#attachment").get_attribute("aria-invalid") == "true"
    w.shot("15-attachment-too-big")
    letter = os.path.join(WORK, "letter.txt")
    with open(letter, "w") as f:
        f.write("Tenancy offer: viewing on Friday.")
    w.find("#attachment").clear()
    w.find("#attachment").send_keys(letter)
    w.button("Add attachment")
    w.button("letter.txt", "section[aria-labelledby=att-title] ul")
    w.text_in(".viewer", "Tenancy offer")
    w.axe("attachments")
    w.shot("16-attachments")

    # --- Agenda and settings -----------------------------------------------------------------
    w.button("Agenda", "nav")
    w.button("This week")
    w.text_in("ul.appointments", "Council offices")
    w.axe("agenda")
    w.shot("17-agenda")

    w.button("Settings", "nav")
    w.fill("lock_minutes", "0")
    w.click("#save-settings")
    w.text_in("#lock_minutes-error", "between 1 and 60")
    w.fill("lock_minutes", "10")
    w.click("#save-settings")
    w.text_in(".notice", "Settings saved")
    # The person's identity phrase, for an admin to compare with theirs.
    worker_phrase = w.find("#identity-phrase").text
    assert re.fullmatch(r"(\d{5} ){5}\d{5}", worker_phrase), worker_phrase
    w.axe("settings")
    w.shot("18-settings")
    # The person's language: saved in Settings it applies at once; the bar's
    # switch back is saved as their setting too.
    w.choose("language", "cy")
    w.click("#save-settings")
    w.text_in("nav", "Gosodiadau")
    w.text_in("#settings-title", "Gosodiadau")
    w.text_in(".notice", "Gosodiadau wedi'u cadw")
    assert d.execute_script("return document.documentElement.lang") == "cy"
    w.shot("18a-settings-cymraeg")
    w.click("#language-switch")
    w.text_in("nav", "Settings")
    w.button("Caseload", "nav")
    w.button("Settings", "nav")
    w.wait.until(lambda d: Select(d.find_element(By.ID, "language")).first_selected_option.get_attribute("value") == "en")
    # Every word on the caseload and on settings from the resources.
    w.all_from_resources("caseload", "#caseload-title")
    # The two languages are offered in their own names, whatever the language in force.
    w.all_from_resources("settings", "#settings-title", go=lambda: w.click("#nav-settings"),
                         data=[WORKER, "English", "Cymraeg"])
    w.all_from_resources("new case", "#new-case-title", go=lambda: (w.click("#nav-caseload"), w.click("#new-case")),
                         welsh_axe=True)
    # Each section of a case holding records of most kinds, by tab ids (the
    # labels change with the language): every word from the resources, and
    # axe-clean in Welsh.
    def case_tab(tab):
        def go():
            w.click("#nav-caseload")
            w.show_case("Orla Testcase")
            w.click(f"#tab-{tab}")
        return go
    for tab, landmark in [("timeline", "#timeline-title"), ("details", "#details-title"), ("notes", "#notes-title"),
                          ("plan", "#plan-title"), ("appointments", "#appts-title"), ("assessments", "#assess-title"),
                          ("incidents", "#incidents-title"), ("safety", "#safety-title"), ("referrals", "#refs-title"),
                          ("attachments", "#att-title"), ("linked", "#linked-title")]:
        w.all_from_resources(f"case {tab}", landmark, go=case_tab(tab), welsh_axe=True)
    w.all_from_resources("agenda", "#agenda-title", go=lambda: w.click("#nav-agenda"), welsh_axe=True)
    w.all_from_resources("groups", "#groups-title", go=lambda: w.click("#nav-groups"), welsh_axe=True)

    # --- Sync, then offline edits synced later ---------------------------------------------------
    w.button("Sync", "nav")
    w.click("#sync-now")
    w.text_in("#sync-status", "Up to date")
    w.axe("sync")
    w.shot("19-sync")
    w.all_from_resources("sync", "#sync-title", go=lambda: w.click("#nav-sync"), welsh_axe=True)
    # Who holds the case, once the server has it.
    w.all_from_resources("case access", "#access-title", go=case_tab("access"), welsh_axe=True)

    server_down()
    w.open_case("Orla Testcase")
    w.choose("contact_type", "visit")
    w.fill("body", "Offline visit in the van: kestrel code word agreed.")
    w.click("#save-note")
    w.text_in("ol.notes", "kestrel")
    w.button("Sync", "nav")
    w.click("#sync-now")
    w.text_in("#sync-status", "Offline")
    w.shot("20-offline")
    server_up()
    # The supervisor's store (the CLI) enrols; this laptop's next sync seals
    # the new case's key to it, and the supervisor then reads the note.
    sup = os.path.join(WORK, "supervisor-store")
    cli(sup, "init", "--user", SUPERVISOR)
    cli(sup, "login", "--server", os.environ["WAYMARK_DEMO_SERVER"])
    sup_phrase = json.loads(cli(sup, "identity", "--json"))["fingerprint_phrase"]
    cli(ADMIN_STORE, "confirm", SUPERVISOR, "--fingerprint", sup_phrase)
    w.click("#sync-now")
    w.text_in("#sync-status", "Up to date")
    sealed = json.loads(cli(sup, "sync", "--json"))
    assert sealed["keys_received"] >= 41, sealed
    assert sealed["awaiting_key"] == 0, sealed
    hits = json.loads(cli(sup, "search", "kestrel", "--json"))
    assert any("kestrel" in h["snippet"] for h in hits), hits
    case_id = hits[0]["case_id"]

    # --- A conflict: both change the referral's status; the app shows both -----------------------
    referrals = json.loads(cli(sup, "referral", "list", case_id, "--json"))
    marac = next(r for r in referrals if r["agency"] == "marac")
    cli(sup, "referral", "update", marac["id"], "--status", "declined")
    w.open_case("Orla Testcase")
    w.section("Referrals and flags")
    w.button("Accepted", "section[aria-labelledby=refs-title]")
    w.text_in("section[aria-labelledby=refs-title]", "Accepted")
    cli(sup, "sync")
    w.button("Sync", "nav")
    # A sync of its own may still be running (sealing keys for the new
    # device): the click counts only once the button is idle again.
    w.sync_once()
    w.text_in("ul.conflicts", "Status")
    text = w.find("ul.conflicts").text
    assert "Accepted" in text and "Declined" in text, text  # the status in words, not its stored value
    # The other side names the supervisor, from their signed change.
    assert SUPERVISOR + " (device" in text, text
    w.axe("conflict review")
    w.shot("21-conflict")
    w.all_from_resources("conflict review", "ul.conflicts", go=lambda: w.click("#nav-sync"), welsh_axe=True,
                         data=[WORKER, SUPERVISOR])
    w.button("Keep this", "ul.conflicts")
    w.text_in("section[aria-labelledby=sync-title]", "every change agrees")

    # --- Keyboard alone: from the caseload to a case, focus always visible ------------------------
    w.button("Caseload", "nav")
    w.find("#caseload-title")
    d.execute_script("document.activeElement.blur()")
    w.tab_to(lambda e: e.get_attribute("id") == "search").send_keys("Orla")
    w.text_in("table.caseload", "Orla Testcase")
    w.tab_to(lambda e: "Orla Testcase" in e.text).send_keys(Keys.ENTER)
    w.text_in("#case-title", "Orla Testcase")

    # --- Quick exit by the button --------------------------------------------------------------------
    w.quick_exit()
    assert "Orla" not in w.body()
    w.axe("unlock")
    w.shot("22-locked")
    # The language chosen here is kept: the unlock screen in Welsh after a reload.
    w.click("#language-switch")
    w.text_in("#unlock-title", "Datgloi Waymark")
    w.reload_in("cy", "#unlock-title")
    w.text_in("#unlock-title", "Datgloi Waymark")
    w.axe("unlock in Welsh")
    w.shot("22a-unlock-cymraeg")
    w.all_from_resources("unlock", "#unlock-title")

    # --- A second person on this shared laptop: the supervisor sees the team's cases --------------
    # They reach the supervisor through the server: the worker syncs first.
    w.unlock(WORKER, PASS)
    w.sync_until("Up to date")
    # The supervisor joins here with a code from the administrator (a new
    # one: they chose their passphrase on their own laptop before).
    w.add_person_and_connect(SUPERVISOR, code=new_code(SUPERVISOR))
    w.button("Caseload", "nav")
    w.text_in("#caseload-count", "42 cases")
    w.click("#mine")
    w.text_in("#caseload-count", "0 cases")
    w.shot("23-supervisor")

    # The supervisor closes a case with a reason; retention review lists by days closed.
    w.click("#mine")
    w.open_case("Orla Testcase")
    w.click("#close-case")
    w.fill("reason", "Moved out of the area")
    w.click("#confirm-close")
    w.text_in("#case-closed", "Moved out of the area")
    w.button("Settings", "nav")
    w.fill("closed_for_days", "0")
    w.click("#review-retention")
    w.text_in("#closed_for_days-error", "must be 1 or more")
    w.fill("closed_for_days", "1")
    w.click("#review-retention")
    # The demo's cases closed months ago are listed; the one closed today not yet.
    w.text_in("#retention-result", "days)")
    assert "Orla Testcase" not in w.find("#retention-result").text
    w.fill("closed_for_days", "36500")
    w.click("#review-retention")
    w.text_in("#retention-result", "No case has been closed that long")
    w.axe("settings (supervisor)")

    # The supervisor's report, computed on this laptop; bad input named first.
    w.button("Reports", "nav")
    w.find("#reports-title")
    w.paste("from", "2026-07-01")
    w.paste("to", "2026-06-30")
    w.click("#run-report")
    w.text_in("#from-error", "1 Jul 2026 is after the end of the period (30 Jun 2026)")
    w.paste("from", "2020-01-01")
    w.paste("to", datetime.date.today().isoformat())
    w.click("#run-report")
    w.text_in("#report", "cases this laptop holds")
    w.text_in("#table-referrals_by_source caption", "Referrals by source")
    w.text_in("#table-engagement", "Engaged")
    # Charts of the published figures (the stage funnel among them), and the
    # equality breakdowns folded away until opened.
    charts = d.find_elements(By.CSS_SELECTOR, "#report .chart svg[role=img]")
    labels = [c.get_attribute("aria-label") for c in charts]
    assert any(l.startswith("Stages reached") for l in labels), labels
    assert any(l.startswith("Referrals by month") for l in labels), labels
    folded = d.find_elements(By.CSS_SELECTOR, "#report details.report-section")
    assert folded and all(f.get_attribute("open") is None for f in folded), len(folded)
    assert "Equality: ethnicity" in folded[0].text, folded[0].text
    w.text_in("#report", "Domestic abuse")
    # The team select lists the teams the organisation certified.
    assert "Outreach" in w.find("#team").text, w.find("#team").text
    w.axe("reports")
    w.shot("23e-report")

    def run_report():
        w.click("#nav-reports")
        w.paste("from", "2020-01-01")
        w.click("#run-report")
        w.find("#report")
    w.all_from_resources("reports", "#report", go=run_report, welsh_axe=True)
    # A figure opens to the cases behind it: Orla, engaged today, is there.
    w.click("#table-engagement tbody td button")
    w.text_in("#drill", "Orla Testcase")
    w.shot("23f-report-drill")
    w.button("Orla Testcase", "#drill")
    w.text_in("#case-title", "Orla Testcase")

    # --- The team view; the supervisor gives a case to herself and shares it back ------------------
    w.button("Team", "nav")
    w.text_in("#team-table", WORKER)
    w.axe("team")
    w.shot("23g-team")
    w.all_from_resources("team", "#team-table", go=lambda: w.click("#nav-team"), welsh_axe=True)
    w.button(WORKER, "#team-table")
    w.text_in("#caseload-title", "Cases of " + WORKER)
    w.click("#group-by-keyworker")
    w.text_in("table.caseload tr.group", WORKER + " (")
    rows = d.find_elements(By.CSS_SELECTOR, "table.caseload tbody tr:not(.group) td:first-child button")
    other = next(r for r in rows if "Orla" not in r.text)
    other_name = other.text
    other.click()
    w.text_in("#case-title", other_name)
    w.section("Who holds it")
    w.text_in("#access-keyworker", WORKER)
    w.fill("new_keyworker", "nobody")
    w.click("#reassign-case")
    w.text_in("#new_keyworker-error", 'no one named "nobody"')
    w.fill("new_keyworker", SUPERVISOR)
    w.click("#reassign-case")
    w.text_in("#access-done", SUPERVISOR + " is the keyworker now")
    w.text_in("#access-keyworker", SUPERVISOR)
    w.text_in(".case-header .meta", "keyworker " + SUPERVISOR)
    # Shared back with the worker, who keeps it as a co-worker.
    w.fill("user", WORKER)
    w.click("#share-case")
    w.text_in("ul.shared-with", WORKER)
    w.axe("who holds a case")
    w.shot("23h-reassigned")
    # Another episode for her (a referral into a second programme): a day to come named first.
    w.click("#open-episode")
    w.choose("episode_source", "self")
    w.paste("episode_opened_on", "2999-01-01")
    w.click("#confirm-episode")
    w.text_in("#episode_opened_on-error", "1 Jan 2999 is in the future")
    w.text_in(".error-summary", "Opened on: 1 Jan 2999 is in the future")
    w.paste("episode_opened_on", datetime.date.today().isoformat())
    w.click("#confirm-episode")
    w.text_in(".case-header .meta", "(open), referred, keyworker " + SUPERVISOR)
    w.gone("#confirm-episode")
    w.button("Caseload", "nav")
    w.click("#mine")
    w.text_in("#caseload-count", "1 case,")
    w.text_in("table.caseload", other_name)

    # --- The supervisor signs off the closure from the Agenda; the case shows who and when ------------
    w.button("Agenda", "nav")
    w.text_in("ul.due", "To sign off as reviewed: closure of")

    def orla_closure(d):
        return [li for li in d.find_elements(By.CSS_SELECTOR, "ul.due li")
                if "Orla Testcase" in li.text and "closure of" in li.text]
    w.wait.until(orla_closure)
    orla_closure(d)[0].find_element(By.CSS_SELECTOR, "button.sign-off").click()
    w.wait.until(lambda d: not orla_closure(d))
    w.axe("agenda (supervisor)")
    w.open_case("Orla Testcase")
    w.text_in("#sign-offs", "Signed off: Closure by " + SUPERVISOR)
    w.shot("23i-signed-off")

    # --- A supervision note: it reaches the keyworker's and the supervisors' devices alone --------
    w.section("Supervision")
    w.fill("discussion", "Talked through the heron move and collection at the school gate.")
    w.fill("decision", "Keep the safety plan; review in a fortnight")
    w.fill("actions[0].action", "Ring the school about collection")
    w.fill("actions[0].owner", WORKER)
    w.click("#add-supervision-note")
    w.text_in('[id="actions[0].due_on-error"]', "say by when")
    w.paste("actions[0].due_on", (today + datetime.timedelta(days=7)).isoformat())
    w.click("#add-supervision-note")
    w.text_in("#supervision-notes", "heron move")
    w.text_in("#supervision-notes", "Ring the school about collection")
    # The action agreed, recorded done from the note: who and when show.
    w.button("Done", "#supervision-notes")
    w.text_in("#supervision-notes", "done on")
    w.text_in("#supervision-notes", "by " + SUPERVISOR)
    w.axe("supervision")
    w.shot("23j-supervision")
    w.all_from_resources("case supervision", "#supervision-notes", go=case_tab("supervision"), welsh_axe=True,
                         data=[SUPERVISOR, WORKER])
    # This laptop's syncs make the case's supervision log, then seal its
    # key to the supervisor's other device (the CLI store), which reads it.
    w.sync_until("Up to date")
    w.sync_until("Up to date")
    cli(sup, "sync")
    cli(sup, "sync")
    noted = json.loads(cli(sup, "supervision", "list", case_id, "--json"))
    assert any("heron move" in n["note"]["discussion"] for n in noted), noted

    # --- A volunteer: the supervisor allocates Orla; the volunteer's laptop holds how to reach ------
    # --- her safely, her appointments and the notes the volunteer writes, and nothing else ---------
    w.open_case("Orla Testcase")
    w.section("Who holds it")
    w.fill("user", VOLUNTEER)
    w.click("#share-case")
    w.text_in("#access-done", "Allocated to " + VOLUNTEER)
    w.text_in("ul.shared-with", "(volunteer")
    # This laptop's sync sends the case's contact brief.
    w.sync_until("Up to date")
    w.add_person_and_connect(VOLUNTEER, code=new_code(VOLUNTEER),
                             lands="#allocated-title, #caseload-count")
    # The keyworker's other laptop seals the allocation logs' keys to the
    # volunteer's once an admin has confirmed them.
    for _ in range(15):
        w.button("Your cases", "nav")
        listed = w.find("#allocated-title").find_element(By.XPATH, "..").text
        if "Orla Testcase" in listed:
            break
        w.sync_until("Up to date")
    w.text_in("#allocated-cases", "Orla Testcase")
    w.text_in("#allocated-cases", "Calls: NO")
    assert len(d.find_elements(By.CSS_SELECTOR, "#allocated-cases li")) == 4, "three from the demo, and Orla"
    w.axe("your cases (volunteer)")
    w.shot("23k-volunteer-cases")
    w.all_from_resources("your cases (volunteer)", "#allocated-cases", go=lambda: w.click("#nav-caseload"),
                         welsh_axe=True)
    w.button("Orla Testcase", "#allocated-cases")
    w.text_in("#allocated-case-title", "Orla Testcase")
    w.text_in(".safe-contact", "Never call")
    w.text_in("#allocated-appointments", "Council offices")
    seen = w.body()
    for kept_from_them in ("Refuge Lane", "heron move", "kettle", "Seen today", "Flags"):
        assert kept_from_them not in seen, f"a volunteer sees {kept_from_them!r}"
    w.fill("body", "Walked with Orla to the council offices; she wants to go alone next time.")
    w.click("#add-volunteer-note")
    w.text_in("#own-notes", "she wants to go alone")
    w.axe("an allocated case (volunteer)")
    w.shot("23l-volunteer-case")
    w.all_from_resources("an allocated case (volunteer)", "#own-notes",
                         go=lambda: (w.click("#nav-caseload"), w.button("Orla Testcase", "#allocated-cases")),
                         welsh_axe=True, data=[VOLUNTEER])
    w.sync_until("Up to date")

    # --- An admin on this laptop: devices, revoking one, the recovery key ---------------------------
    # A colleague's new laptop (a CLI store) joins: it waits for an admin,
    # and no case key reaches it.
    spare = os.path.join(WORK, "spare-laptop")
    cli(spare, "init", "--user", WORKER)
    cli(spare, "login", "--server", os.environ["WAYMARK_DEMO_SERVER"], "--device-label", "spare laptop")
    waiting = json.loads(cli(spare, "sync", "--json"))
    assert waiting["waiting_for_confirmation"] and waiting["awaiting_key"] > 0, waiting
    assert waiting["keys_received"] == 0, waiting
    spare_phrase = json.loads(cli(spare, "identity", "--json"))["fingerprint_phrase"]
    spare_device = json.loads(cli(spare, "status", "--json"))["device_id"]

    w.add_person_and_connect(ADMIN, admin=True)
    w.button("Settings", "nav")
    # The screen settles (its device list comes from the server) first.
    w.text_in("#devices", "Confirmed as")
    w.click("#make-recovery-key")
    w.text_in("#recovery-text", "Waymark organisation recovery key")
    recovery_text = w.find("#recovery-text").text
    w.axe("settings (admin)")
    w.shot("23b-admin")
    w.click("#recovery-kept")
    w.gone("#recovery-text")
    w.click("#make-recovery-key")
    w.text_in("#recovery-error", "already has a recovery key")

    # An admin imports a new version of an assessment template, for every device.
    w.click("#import-template")
    w.text_in("#template-error", "choose the template's JSON file first")
    w.text_in(".error-summary", "There is a problem")
    template = json.load(open(os.path.join(os.path.dirname(__file__), "../../crates/waymark-model/templates/da-risk-checklist-v1.json")))
    template["version"] = 2
    template_path = os.path.join(WORK, "da-risk-checklist-v2.json")
    with open(template_path, "w") as f:
        json.dump(template, f)
    w.find("#template").send_keys(template_path)
    w.click("#import-template")
    w.text_in("#template-imported", "Imported da-risk-checklist-v2.json")
    w.text_in("#template-list", "da-risk-checklist version 2")
    w.find("#template").send_keys(template_path)
    w.click("#import-template")
    w.text_in("#template-error", "version 2 exists already")

    # An admin adds a programme (a follow-up that is not a number is named
    # beside its field, nothing added), then retires it.
    w.fill("programme_name", "Peer mentoring")
    w.choose("programme_kind", "outreach")
    w.fill("planned_weeks", "12")
    w.paste("outcome_areas", "Confidence\nHousing")
    w.fill("follow_up_months", "6, six")
    w.click("#add-programme")
    w.text_in("#follow_up_months-error", "six")
    w.text_in(".error-summary", "There is a problem")
    assert "Peer mentoring" not in w.body()
    w.fill("follow_up_months", "6, 12")
    w.click("#add-programme")
    w.text_in("#programme-list", "Peer mentoring — Outreach · 12 weeks planned · outcome areas: Confidence, Housing · follow-ups at 6, 12 months")
    w.axe("programmes (admin)")
    w.shot("23c-programmes")
    w.all_from_resources("settings (admin)", "#programme-list", go=lambda: w.click("#nav-settings"), welsh_axe=True,
                         data=[ADMIN, WORKER, SUPERVISOR, VOLUNTEER, "English", "Cymraeg"])
    w.click("#programme-list button.secondary")
    w.text_in("#programme-list", "retired")

    # --- Erasing the closed case for good takes two people: the supervisor asks (a reason first, --
    # --- kept sealed to the recovery key), can cancel while it waits; another confirms ------------
    w.quick_exit()
    w.unlock(SUPERVISOR, PASS)
    w.find("#caseload-count")
    w.open_case("Orla Testcase")
    w.click("#erase-case")
    w.fill("erase-reason", "   ")
    w.click("#confirm-erase")
    w.text_in("#erase-reason-error", "say why")
    w.axe("erase a case")
    w.shot("23a-erase")
    w.fill("erase-reason", "Closed and past the retention period")
    w.click("#confirm-erase")
    w.text_in("#erase-asked", "Another supervisor or admin must confirm it")
    w.shot("23d-erase-asked")
    w.gone("#confirm-erase")
    # She can take it back while it waits, and ask again.
    w.click("#cancel-erasure")
    w.text_in("#erase-asked", "The erasure is cancelled")
    w.gone("#cancel-erasure")
    w.fill("erase-reason", "Closed and past the retention period")
    w.click("#confirm-erase")
    w.text_in("#erase-asked", "Another supervisor or admin must confirm it")
    # A second supervisor of the team joins (a code from the administrator) and confirms.
    server_bin = os.path.join(os.path.dirname(CLI), "waymark-server")
    db = os.path.join(DEMO_DIR, "server.db")
    added = subprocess.run([server_bin, "--db", db, "--json", "admin", "add-user", "--org", "Demo",
                            "--name", "demo-supervisor-2", "--role", "supervisor", "--team", "Outreach"],
                           check=True, capture_output=True, text=True).stdout
    sup2 = os.path.join(WORK, "second-supervisor")
    cli(sup2, "join", "--server", os.environ["WAYMARK_DEMO_SERVER"], "--user", "demo-supervisor-2",
        "--code", json.loads(added)["enrolment_code"])
    pending = json.loads(cli(sup2, "erasures", "--json"))
    assert [p["log_id"] for p in pending["pending"]] == [case_id], pending
    assert pending["pending"][0]["requested_by"] == SUPERVISOR, pending
    done = json.loads(cli(sup2, "erase-case", case_id, "--reason", "Agreed with the supervisor", "--json"))
    assert done["state"] == "erased", done
    # Every device drops it at its next sync: this laptop, and the supervisor's CLI store.
    w.sync_until("Up to date")
    w.button("Caseload", "nav")
    w.text_in("#caseload-count", "41 cases")
    assert "Orla Testcase" not in w.body()
    erased = json.loads(cli(sup, "sync", "--json"))
    assert erased["cases_erased"] == 1, erased
    assert not json.loads(cli(sup, "search", "kestrel", "--json"))
    w.quick_exit()
    w.unlock(ADMIN, PASS)
    w.button("Settings", "nav")
    w.text_in("#devices", SUPERVISOR)
    # The admin confirms it by the phrase read out from it: a misread phrase
    # is named and confirms nothing; the right one confirms, and its keys
    # arrive from a colleague's laptop.
    misread = spare_phrase[:-1] + ("1" if spare_phrase[-1] != "1" else "2")
    w.fill(f"phrase-{spare_device}", misread)
    w.click(f"#confirm-{spare_device}")
    w.text_in(f"#phrase-{spare_device}-error", "matches none")
    w.shot("23c-confirm-refused")
    assert json.loads(cli(spare, "sync", "--json"))["waiting_for_confirmation"]
    w.fill(f"phrase-{spare_device}", spare_phrase)
    w.click(f"#confirm-{spare_device}")
    w.gone(f"#confirm-{spare_device}")
    w.text_in("#devices", "Confirmed as worker")
    for _ in range(15):
        arrived = json.loads(cli(spare, "sync", "--json"))
        if arrived["awaiting_key"] == 0:
            break
        time.sleep(1)
    assert not arrived["waiting_for_confirmation"], arrived
    assert arrived["awaiting_key"] == 0, arrived
    assert len(json.loads(cli(spare, "caseload", "--json"))) == 41
    # The admin's laptop shows each person's identity phrase as their own
    # device does: the app's worker, and the supervisor's CLI store.
    w.text_in("#devices", worker_phrase)
    w.text_in("#devices", json.loads(cli(sup, "identity", "--json"))["fingerprint_phrase"])
    sup_device = json.loads(cli(sup, "status", "--json"))["device_id"]
    w.click(f"#revoke-{sup_device}")
    w.click(f"#confirm-revoke-{sup_device}")
    w.wait.until(lambda d: "Revoked" in w.find("#devices").text)
    env = dict(os.environ, WAYMARK_PASSPHRASE=PASS)
    gone = subprocess.run([CLI, "--store", sup, "sync"], env=env, capture_output=True, text=True)
    assert gone.returncode == 1 and "revoked" in gone.stderr, gone.stderr
    assert not os.listdir(sup), "the revoked CLI store erased itself"
    # Restoring access: a mistyped key is named beside its field; the right one works.
    w.fill("person", WORKER)
    w.paste("recovery_key", recovery_text.replace("version 1", "version 9"))
    w.click("#restore-access")
    w.text_in("#recovery_key-error", "version 9")
    w.paste("recovery_key", recovery_text)
    w.click("#restore-access")
    w.text_in("#restore-done", "Resealed")
    w.quick_exit()
    w.unlock(SUPERVISOR, PASS)

    # --- Idle lock: one minute without input locks and says why ------------------------------------
    # The backend locks (not a timer in the page) and reloads the page, so
    # nothing of the session stays in its memory: a marker set now is gone.
    d.execute_script("window.__waymark_canary = 'case data'")
    w.button("Settings", "nav")
    w.fill("lock_minutes", "1")
    w.click("#save-settings")
    w.text_in(".notice", "Settings saved")
    w.button("Caseload", "nav")
    WebDriverWait(d, 90, ignored_exceptions=[WebDriverException]).until(
        lambda d: d.find_elements(By.ID, "passphrase"))
    w.text_in(".notice", "Locked after 1 minute without use")
    assert "Caseload" not in w.body()
    assert d.execute_script("return window.__waymark_canary === undefined"), "the page kept its memory"
    w.shot("24-idle-locked")

    # --- The desktop locks its screen (a D-Bus signal): Waymark locks at once, and says why ---------
    w.unlock(SUPERVISOR, PASS)
    w.find("#caseload-count")
    d.execute_script("window.__waymark_canary = 'case data'")
    subprocess.run(["dbus-send", "--session", "--type=signal", "/org/freedesktop/ScreenSaver",
                    "org.freedesktop.ScreenSaver.ActiveChanged", "boolean:true"], check=True)
    WebDriverWait(d, 20, ignored_exceptions=[WebDriverException]).until(
        lambda d: d.find_elements(By.ID, "passphrase"))
    w.text_in(".notice", "the screen was locked")
    assert d.execute_script("return window.__waymark_canary === undefined"), "the page kept its memory"
    # A crash of the app writes no core file (its memory holds the store key).
    limits = open(f"/proc/{app_pid()}/limits").read()
    assert re.search(r"Max core file size\s+0\s+0", limits), limits

    # --- The organisation revokes the worker's laptop: their next sync erases their store, -------
    # --- and only theirs: the supervisor and the admin on the same laptop keep their own ----------
    server = os.path.join(os.path.dirname(CLI), "waymark-server")
    db = os.path.join(DEMO_DIR, "server.db")
    listed = subprocess.run([server, "--db", db, "admin", "list-devices", "--user", WORKER],
                            check=True, capture_output=True, text=True).stdout
    laptop = [line.split("\t")[0] for line in listed.splitlines()
              if "\tdemo seed\t" not in line and "\tspare laptop\t" not in line]
    assert len(laptop) == 1, listed
    subprocess.run([server, "--db", db, "admin", "revoke-device", "--device", laptop[0]],
                   check=True, capture_output=True)
    people = os.path.join(os.environ["WAYMARK_STORE"], "people")
    assert len(os.listdir(people)) == 4, os.listdir(people)
    w.unlock(WORKER, PASS)
    w.button("Sync", "nav")
    w.click("#sync-now")
    w.text_in("#wiped", "This device was revoked by your organisation")
    assert len(os.listdir(people)) == 3, os.listdir(people)
    w.find("#first-run-title")
    w.shot("25-revoked-wiped")
    w.click("#back-to-unlock")
    w.unlock(SUPERVISOR, PASS)
    w.find("#caseload-count")
    w.quick_exit()
    w.unlock(WORKER, PASS)
    w.text_in("#passphrase-error", "wrong user name or passphrase")

    # --- Changing a passphrase re-keys the person's own store ----------------------------------------
    w.unlock(SUPERVISOR, PASS)
    w.button("Settings", "nav")
    w.fill("current-passphrase", PASS)
    w.fill("new-passphrase", "password1234")
    w.fill("new-passphrase-again", "password1234")
    w.click("#change-passphrase")
    w.text_in("#new-passphrase-error", "too easy to guess")
    changed = "a fresh and rather long passphrase"
    w.fill("current-passphrase", PASS)
    w.fill("new-passphrase", changed)
    w.fill("new-passphrase-again", changed)
    w.click("#change-passphrase")
    w.text_in(".notice", "Passphrase changed")
    w.shot("26-passphrase-changed")
    w.quick_exit()
    w.unlock(SUPERVISOR, PASS)
    w.text_in("#passphrase-error", "wrong user name or passphrase")
    w.unlock(SUPERVISOR, changed)
    w.find("#caseload-count")


if __name__ == "__main__":
    sys.exit(main())
