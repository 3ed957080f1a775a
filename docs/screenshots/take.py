"""Screenshots of the demo's main pages, phone (390 px) and desktop (1366 px), into docs/screenshots/.

    .venv/bin/python docs/screenshots/take.py                  # fresh SQLite demo in a temporary folder
    .venv/bin/python docs/screenshots/take.py --database-url postgres://postgres@127.0.0.1:5432/demo
    .venv/bin/python docs/screenshots/take.py --port 18601 --only home,dashboard

It migrates and loads the demo (``manage.py demo_data``, skipped when already there), starts
``runserver`` on ``--port``, signs in as the demo's people and saves the first screen of each page
(``<name>-phone.png``, ``<name>-desktop.png``) with Debian's Chromium (CHROMIUM_PATH, else
/usr/bin/chromium), then stops the server. Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
PASSWORD = "mentorat-demo-2026"
SLUG = "proxi-mentorat-demo"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
COORD = f"/coordination/{SLUG}"
# (file name, who is signed in, path; "{binome}" is the demo mentee's binôme)
PAGES = [
    ("home", None, "/"),
    ("login", None, "/comptes/login/"),
    ("association", None, f"/a/{SLUG}/"),
    ("sign-up", None, f"/a/{SLUG}/inscription/mentore/"),
    ("my-space", "mentee1@demo.mentorat.fr", "/mon-espace/"),
    ("binome", "mentee1@demo.mentorat.fr", "/mon-espace/binomes/{binome}/"),
    ("coordination", "coordination@demo.mentorat.fr", f"{COORD}/"),
    ("participants", "coordination@demo.mentorat.fr", f"{COORD}/participants/"),
    ("proposals", "coordination@demo.mentorat.fr", f"{COORD}/propositions/"),
    ("binomes", "coordination@demo.mentorat.fr", f"{COORD}/binomes/"),
    ("dashboard", "coordination@demo.mentorat.fr", f"{COORD}/tableau-de-bord/"),
    ("programme", "coordination@demo.mentorat.fr", f"{COORD}/programmes/etudiants-boursiers-lyon/"),
    ("operator-dashboard", "operateur@demo.mentorat.fr", "/operateur/tableau-de-bord/"),
    ("accessibility", None, "/accessibilite/"),
]


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return done.stdout


def wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"runserver did not answer on port {port} within {seconds} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="an existing database (default: a fresh SQLite demo in a temporary folder)")
    parser.add_argument("--port", type=int, default=18601)
    parser.add_argument("--only", help="comma-separated page names")
    args = parser.parse_args()
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

    tmp = tempfile.TemporaryDirectory()
    env = {**os.environ, "DEBUG": "true", "SECURE_SSL_REDIRECT": "false",
           "DATABASE_URL": args.database_url or f"sqlite:///{tmp.name}/demo.sqlite3"}
    env.pop("REDIS_URL", None)  # the demo's in-process tasks
    manage(env, "migrate", "--noinput")
    manage(env, "demo_data")
    # A fresh run as a coordinator would launch it, so the proposals page shows proposals waiting
    # for a decision (the demo's own rounds are all decided); run inline, not in a thread.
    manage({**env, "MATCH_RUN_IN_THREAD": "false"}, "shell", "-c", (
        "from associations.models import Association, Membership; from matching import services; "
        "a = Association.objects.filter(status='active').order_by('pk').first(); "
        "m = Membership.objects.filter(association=a, role='coordinator', ended_at=None).select_related('user').first(); "
        "services.match_run_request(association=a, by=m.user)"
    ))
    binome = manage(env, "shell", "-c", (
        "from binomes.models import Binome; "
        "print(Binome.objects.filter(mentee__membership__user__email='mentee1@demo.mentorat.fr').order_by('-pk').values_list('pk', flat=True).first())"
    )).strip().splitlines()[-1]  # after shell's "N objects imported automatically"

    server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{args.port}", "--noreload"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(args.port)
        shoot(f"http://127.0.0.1:{args.port}", chromium, binome, set(args.only.split(",")) if args.only else None)
    finally:
        server.terminate()
        server.wait(10)
        tmp.cleanup()


def shoot(base: str, chromium: str, binome: str, only: set[str] | None) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        for viewport, size in VIEWPORTS.items():
            contexts: dict[str | None, object] = {}
            for name, who, path in PAGES:
                if only and name not in only:
                    continue
                if who not in contexts:
                    contexts[who] = context = browser.new_context(viewport=size, locale="fr-FR", device_scale_factor=1)
                    if who:
                        page = context.new_page()
                        page.goto(f"{base}/comptes/login/")
                        page.get_by_label("Adresse e-mail").fill(who)
                        page.get_by_label("Mot de passe", exact=False).first.fill(PASSWORD)
                        page.get_by_role("button", name="Se connecter").click()
                        page.wait_for_load_state()
                        page.close()
                page = contexts[who].new_page()
                page.goto(base + path.format(binome=binome))
                page.wait_for_load_state("networkidle")
                target = OUT / f"{name}-{viewport}.png"
                page.screenshot(path=str(target))  # the first screen: what a person sees on arrival
                print(f"{target.relative_to(ROOT)}  ({page.evaluate('document.documentElement.scrollHeight')} px tall)")
                page.close()
            for context in contexts.values():
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
