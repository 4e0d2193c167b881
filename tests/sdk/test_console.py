"""The console (`/console/`) in a real browser: headless Chromium driven by selenium, against a
live server. The page signs every call itself (ACS3-HMAC-SHA256 in WebCrypto); these tests do
the seed's flow with clicks and check what the page shows against the API.

Screenshots of each view go to `$LOCALECS_SCREENSHOTS` (default: the test's tmp folder); the ones
in `docs/screenshots/` come from here.
"""
from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys
import time

import pytest
from alibabacloud_ram20150501 import models as M
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import AK, REGION, SECRET, Sdk, Server, unique
from test_ram import ram_client, user_with

VECTORS = pathlib.Path(__file__).resolve().parents[1] / "vectors" / "signatures.json"


@pytest.fixture(scope="module")
def console_server(tmp_path_factory):
    # Real transitions (Pending → Starting → Running), so the page is seen following them.
    s = Server(f"sqlite:{tmp_path_factory.mktemp('console') / 'c.sqlite'}", args=["--transition-delay", "700ms"]).start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> pathlib.Path:
    d = pathlib.Path(os.environ.get("LOCALECS_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        pytest.fail("the console tests need chromium and chromium-driver (Debian packages; .ci/run installs them)")
    downloads = tmp_path_factory.mktemp("downloads")
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1500,1000", "--disable-gpu"):
        opts.add_argument(a)
    opts.add_experimental_option("prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False})
    d = webdriver.Chrome(options=opts, service=webdriver.ChromeService(executable_path=driver_path))
    d.downloads = downloads
    yield d
    d.quit()


def wait(driver, cond, timeout=20):
    return WebDriverWait(driver, timeout, ignored_exceptions=[StaleElementReferenceException]).until(cond)


def text_of(driver, css) -> str:
    try:
        return driver.find_element(By.CSS_SELECTOR, css).text
    except Exception:
        return ""


def sign_in(driver, server, ak, secret, token=None):
    driver.get(server.url + "/console/")
    if driver.find_elements(By.ID, "signout") and driver.find_element(By.ID, "signout").is_displayed():
        driver.find_element(By.ID, "signout").click()
    wait(driver, lambda d: d.find_element(By.ID, "ak"))
    driver.find_element(By.ID, "ak").send_keys(ak)
    driver.find_element(By.ID, "secret").send_keys(secret)
    if token:
        driver.find_element(By.ID, "token").send_keys(token)
    driver.find_element(By.ID, "signin-button").click()
    wait(driver, lambda d: d.find_element(By.ID, "tab-keypairs"))


def tab(driver, name):
    driver.find_element(By.ID, "tab-" + name).click()


def test_signer_matches_every_captured_v3_vector(browser, console_server):
    browser.get(console_server.url + "/console/")
    vectors = [v for v in json.loads(VECTORS.read_text()) if v["scheme"].startswith("V3")]
    assert vectors
    for v in vectors:
        got = browser.execute_async_script(
            "const done = arguments[1]; LocalECSSigner.signVector(arguments[0]).then(done, (e) => done({error: String(e)}));", v)
        assert got.get("canonical") == v["canonical_request"], got
        assert got["signature"] == v["expected_signature"]


def test_root_flow_keypair_instance_detach(browser, console_server, shots):
    sign_in(browser, console_server, AK, SECRET)
    root = Sdk("v3", console_server.endpoint)
    # Create a key pair: the download holds the PEM, whose fingerprint the page shows.
    name = unique()
    browser.find_element(By.ID, "kp-name").send_keys(name)
    browser.find_element(By.ID, "kp-create").click()
    link = wait(browser, lambda d: d.find_element(By.ID, "pem-download"))
    fingerprint = root.call("DescribeKeyPairs", RegionId=REGION, KeyPairName=name)["KeyPairs"]["KeyPair"][0]["KeyPairFingerPrint"]
    assert name in text_of(browser, "#created") and fingerprint in text_of(browser, "#created")
    wait(browser, lambda d: name in d.find_element(By.CSS_SELECTOR, "#view table").text)
    browser.save_screenshot(str(shots / "console-keypairs.png"))
    link.click()
    pem = browser.downloads / f"{name}.pem"
    wait(browser, lambda d: pem.exists() and pem.stat().st_size > 0)
    os.chmod(pem, 0o600)
    public = subprocess.run(["ssh-keygen", "-y", "-f", str(pem)], capture_output=True, text=True, check=True).stdout
    pub = browser.downloads / f"{name}.pub"
    pub.write_text(public)
    out = subprocess.run(["ssh-keygen", "-l", "-E", "md5", "-f", str(pub)], capture_output=True, text=True, check=True).stdout
    assert out.split()[1] == "MD5:" + fingerprint

    # Run an instance with it and watch the status move to Running without reloading.
    tab(browser, "instances")
    wait(browser, lambda d: d.find_element(By.ID, "run-kp"))
    browser.find_element(By.ID, "run-kp").send_keys(name)
    browser.find_element(By.ID, "run-password").send_keys("Passw0rd!")
    browser.find_element(By.ID, "run-instance").click()
    browser.find_element(By.TAG_NAME, "body").click()   # leave the form, so the view refreshes
    inst = wait(browser, lambda d: next((e.get_attribute("data-status-of") for e in d.find_elements(By.CSS_SELECTOR, "[data-status-of]")), None))
    seen = set()
    def running(d):
        s = d.find_element(By.CSS_SELECTOR, f'[data-status-of="{inst}"]').text
        seen.add(s)
        return s == "Running"
    wait(browser, running, timeout=30)
    assert seen & {"Pending", "Starting"}, f"never saw a transient status, only {seen}"
    assert text_of(browser, f'[data-keypair-of="{inst}"]') == name
    wait(browser, lambda d: "key " + name in d.find_element(By.CSS_SELECTOR, f'[data-login-of="{inst}"]').text)
    browser.save_screenshot(str(shots / "console-instances.png"))

    # Detach from it and from an unknown instance: both per-instance results, as the API returns them.
    browser.find_element(By.CSS_SELECTOR, f'.inst-check[value="{inst}"]').click()
    browser.find_element(By.ID, "extra-ids").send_keys("i-doesnotexist000")
    browser.find_element(By.ID, "bind-kp").send_keys(name)
    browser.find_element(By.ID, "detach").click()
    wait(browser, lambda d: "FailCount 1" in d.find_element(By.ID, "bind-results").text)
    rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "#bind-results tbody tr")]
    assert rows[0].startswith(inst) and "200 successful true" in rows[0]
    assert rows[1].startswith("i-doesnotexist000") and "InvalidInstanceId.NotFound" in rows[1] and rows[1].endswith("false")
    browser.find_element(By.TAG_NAME, "body").click()
    wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, f'[data-keypair-of="{inst}"]').text == "—")
    assert root.call("DescribeInstances", RegionId=REGION, InstanceIds=json.dumps([inst]))["Instances"]["Instance"][0]["KeyPairName"] == ""
    wait(browser, lambda d: "restart pending" in d.find_element(By.CSS_SELECTOR, f'[data-login-of="{inst}"]').text)
    browser.save_screenshot(str(shots / "console-detach.png"))

    # The audit trail lists the detach, with its JSON.
    tab(browser, "trail")
    wait(browser, lambda d: d.find_element(By.ID, "trail-value"))
    browser.find_element(By.ID, "trail-value").send_keys("DetachKeyPair")
    browser.find_element(By.ID, "trail-apply").click()
    wait(browser, lambda d: "DetachKeyPair" in d.find_element(By.CSS_SELECTOR, "#view table").text)
    browser.find_element(By.CSS_SELECTOR, "#view table tbody tr button").click()
    event = json.loads(wait(browser, lambda d: d.find_element(By.ID, "event-json").text or None))
    assert event["eventName"] == "DetachKeyPair" and inst in event["referencedResources"]["ACS::ECS::Instance"]
    browser.save_screenshot(str(shots / "console-trail.png"))

    # RAM view lists users.
    tab(browser, "ram")
    wait(browser, lambda d: "Users" in d.find_element(By.ID, "view").text)


def test_read_only_user_sees_the_refusal(browser, console_server, shots):
    ram = ram_client(console_server)
    _, ak, secret = user_with(ram, system=["AliyunECSReadOnlyAccess"])
    sign_in(browser, console_server, ak, secret)
    browser.find_element(By.ID, "kp-name").send_keys(unique())
    browser.find_element(By.ID, "kp-create").click()
    banner = wait(browser, lambda d: d.find_element(By.ID, "banner").text or None)
    assert banner.startswith("Forbidden.RAM:"), banner
    browser.save_screenshot(str(shots / "console-forbidden.png"))
    browser.find_element(By.ID, "signout").click()


def test_explorer_call_and_generated_python_runs(browser, console_server, shots, tmp_path):
    sign_in(browser, console_server, AK, SECRET)
    name = unique()
    Sdk("v3", console_server.endpoint).call("CreateKeyPair", RegionId=REGION, KeyPairName=name)
    tab(browser, "explorer")
    select = Select(wait(browser, lambda d: d.find_element(By.ID, "action-select")))
    select.select_by_value("ecs/DetachKeyPair")
    ram_rows = browser.find_element(By.ID, "ram-table").text
    assert "ecs:DetachKeyPair" in ram_rows and "*Instance" in ram_rows and "acs:ecs:{#regionId}:{#accountId}:keypair/{#keypairName}" in ram_rows
    # The Condition key column, from the same declaration: AuthorizeSecurityGroup's two rule keys.
    select.select_by_value("ecs/AuthorizeSecurityGroup")
    ram_rows = browser.find_element(By.ID, "ram-table").text
    assert "ecs:SecurityGroupIpProtocols, ecs:SecurityGroupSourceCidrIps" in ram_rows, ram_rows
    select.select_by_value("ecs/DescribeKeyPairs")
    browser.find_element(By.ID, "f-KeyPairName").send_keys(name)
    browser.find_element(By.ID, "f-IncludePublicKey").send_keys("true")
    browser.find_element(By.ID, "call").click()
    meta = wait(browser, lambda d: d.find_element(By.ID, "call-meta").text or None)
    assert meta.startswith("HTTP 200 · RequestId ") and meta.endswith(" ms")
    page = json.loads(browser.find_element(By.ID, "call-response").text)
    assert page["TotalCount"] == 1 and page["KeyPairs"]["KeyPair"][0]["KeyPairName"] == name
    browser.save_screenshot(str(shots / "console-explorer.png"))
    for pre in ("code-go", "code-cli"):
        assert name in browser.find_element(By.ID, pre).get_attribute("textContent")
    for pre in ("code-python", "code-common"):
        assert run_snippet(browser, pre, tmp_path) == strip_request_id(page), pre


def strip_request_id(body: dict) -> dict:
    return {k: v for k, v in body.items() if k != "RequestId"}


def run_snippet(browser, pre_id: str, tmp_path) -> dict:
    """Runs the explorer's generated Python (`pre_id`) unmodified; its printed response body."""
    script = tmp_path / f"{pre_id}.py"
    script.write_text(browser.find_element(By.ID, pre_id).get_attribute("textContent"))
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return strip_request_id(json.loads(out.stdout))


def test_explorer_code_signed_in_with_sts_credentials_runs(browser, console_server, tmp_path):
    """Signed in with an STS session, the generated code carries the security token: both Python
    snippets run unmodified as the role, and the Go and CLI lines name the token."""
    from test_sts import assume, assumer, make_role
    ram = ram_client(console_server)
    role = make_role(ram)
    _, ak, secret = assumer(ram, role)
    creds = assume(console_server, ak, secret, role).credentials
    sign_in(browser, console_server, creds.access_key_id, creds.access_key_secret, creds.security_token)
    tab(browser, "explorer")
    Select(wait(browser, lambda d: d.find_element(By.ID, "action-select"))).select_by_value("ecs/DescribeKeyPairs")
    browser.find_element(By.ID, "call").click()
    wait(browser, lambda d: d.find_element(By.ID, "call-meta").text or None)
    page = json.loads(browser.find_element(By.ID, "call-response").text)
    assert "KeyPairs" in page, page
    for pre in ("code-python", "code-common"):
        assert run_snippet(browser, pre, tmp_path) == strip_request_id(page), pre
    assert f'SecurityToken: tea.String("{creds.security_token}")' in browser.find_element(By.ID, "code-go").get_attribute("textContent")
    assert f"--mode StsToken --sts-token '{creds.security_token}'" in browser.find_element(By.ID, "code-cli").get_attribute("textContent")
    browser.find_element(By.ID, "signout").click()


def test_instances_page_through_ten_thousand(browser, console_server, shots):
    from conftest import ACCOUNT_ID, BIN
    seeded = subprocess.run([str(BIN), "seed", "--store", console_server.store, "--account", ACCOUNT_ID,
                             "--region", "cn-shanghai", "--key-pairs", "50", "--instances", "10000"], capture_output=True, text=True, timeout=300)
    assert seeded.returncode == 0, seeded.stderr
    browser.get(console_server.url + "/console/")
    if browser.find_element(By.ID, "signout").is_displayed():
        browser.find_element(By.ID, "signout").click()
    wait(browser, lambda d: d.find_element(By.ID, "ak"))
    browser.find_element(By.ID, "ak").send_keys(AK)
    browser.find_element(By.ID, "secret").send_keys(SECRET)
    region = browser.find_element(By.ID, "region")
    region.clear()
    region.send_keys("cn-shanghai")
    browser.find_element(By.ID, "signin-button").click()
    wait(browser, lambda d: d.find_element(By.ID, "tab-instances")).click()
    wait(browser, lambda d: "10000 instance(s) in cn-shanghai; page 1 of 200" in d.find_element(By.ID, "view").text)
    first = [e.get_attribute("data-status-of") for e in browser.find_elements(By.CSS_SELECTOR, "[data-status-of]")]
    assert len(first) == 50
    browser.find_element(By.ID, "next-page").click()
    wait(browser, lambda d: "page 2 of 200" in d.find_element(By.ID, "view").text)
    second = [e.get_attribute("data-status-of") for e in browser.find_elements(By.CSS_SELECTOR, "[data-status-of]")]
    assert len(second) == 50 and not set(first) & set(second)
    browser.save_screenshot(str(shots / "console-10k.png"))
    browser.find_element(By.ID, "signout").click()
