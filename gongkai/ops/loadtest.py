"""Load and fault tests on loopback: gunicorn, concurrent online applications, racing staff (ADR 021).

The pieces, used by ``gongkai/ops/tests/test_load.py`` (small) and
``bench/load.py`` (larger):

- ``LoadDatabase``: a database made for the run — a SQLite file (WAL) or a
  PostgreSQL database ``<name>_load_<pid>`` — migrated and seeded with one
  agency and its staff by ``python -m gongkai.ops.loadtest seed``;
- ``Server``: gunicorn (2 workers × threads) bound to 127.0.0.1 on a free
  port, in its own process group so a fault test can SIGKILL master and
  workers at once, with rate limits switched off for it only
  (``GONGKAI_RATELIMIT_ENABLE=0``: every client is 127.0.0.1);
- ``Browser``: one visitor over ``http.client`` with its cookies, CSRF token
  and multipart uploads; no external network, every loop bounded in count
  and time;
- ``apply_burst``: concurrent online applications, each carrying its form's
  ``submission_key`` (the client-side idempotency token), some sent twice at
  once (a double click) or again later (a retry); ``staff_race``: two staff
  take the same step of the same application at the same moment;
- ``python -m gongkai.ops.loadtest check`` reads the database back through
  the ORM: every acknowledged submission stored exactly once, every
  application whole (its registration audit entry, its identity proof on
  disk with the recorded SHA-256), every race won once and its result kept.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

AGENCY = "load-gxj"
PASSWORD = "load-test-password-2026"
REGISTRARS = ("load_registrar_1", "load_registrar_2")
HANDLERS = ("load_handler_1", "load_handler_2")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
RECEIPT_RE = re.compile(rf"/{AGENCY}/apply/receipt/([0-9A-Z-]+)/")
REFUSED_CONFIRM = "不能确认收到申请"
REFUSED_DECIDE = "不能作出答复"
ROOT = Path(__file__).resolve().parents[2]
# gunicorn closes a kept-alive connection idle for 2 s (its default --keep-alive); clients reconnect sooner.
IDLE_SECONDS = 1.0
BIN = Path(sys.executable).parent


def today_in_china() -> str:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()


def free_port(low: int | None = None, high: int | None = None) -> int:
    """A free loopback port, from [low, high] when given (developers share the machine by port ranges)."""
    ports = range(low, high + 1) if low else [0]
    for port in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError(f"no free port in {low}–{high}")


# --- the database of a run ------------------------------------------------------------------------


class LoadDatabase:
    """A database made for one run, of the engine ``base_url`` names, migrated and seeded; dropped by ``drop``."""

    def __init__(self, base_url: str, workdir: Path, *, tag: str = "load"):
        self.workdir = Path(workdir)
        self.var_dir = self.workdir / "var"
        self.var_dir.mkdir(parents=True, exist_ok=True)
        if base_url.startswith("sqlite"):
            self.engine = "sqlite"
            self.url = f"sqlite:///{self.workdir / (tag + '.sqlite3')}"
            self.pg_name = None
        else:
            self.engine = "postgresql"
            server, name = base_url.rsplit("/", 1)
            self.server = server
            self.pg_name = f"{name.split('?')[0]}_{tag}_{os.getpid()}"
            self.url = f"{server}/{self.pg_name}"

    def env(self, **extra) -> dict:
        return {**os.environ, "DATABASE_URL": self.url, "GONGKAI_VAR_DIR": str(self.var_dir),
                "DJANGO_SETTINGS_MODULE": "gongkai.settings", "GONGKAI_ALLOWED_HOSTS": "127.0.0.1,localhost",
                **extra}

    def create(self) -> "LoadDatabase":
        if self.pg_name:
            import psycopg

            with psycopg.connect(f"{self.server}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{self.pg_name}"')
        subprocess.run([str(BIN / "gongkai"), "migrate", "--noinput", "-v0"], env=self.env(), cwd=ROOT, check=True)
        self.command("seed")
        return self

    def command(self, action: str, payload: dict | None = None) -> dict:
        """Run ``python -m gongkai.ops.loadtest <action>`` on this database; its JSON answer."""
        result = subprocess.run([sys.executable, "-m", "gongkai.ops.loadtest", action],
                                input=json.dumps(payload or {}), env=self.env(), cwd=ROOT,
                                capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            raise RuntimeError(f"loadtest {action} failed: {result.stderr[-3000:]}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    def drop(self) -> None:
        if self.pg_name:
            import psycopg

            with psycopg.connect(f"{self.server}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


# --- the server -----------------------------------------------------------------------------------


class Server:
    """gunicorn on 127.0.0.1, in its own process group; ``kill()`` is SIGKILL to master and workers at once."""

    def __init__(self, database: LoadDatabase, *, port: int, workers: int = 2, threads: int = 4,
                 extra_env: dict | None = None, ready_path: str = f"/{AGENCY}/apply/"):
        self.database, self.port, self.workers, self.threads = database, port, workers, threads
        self.ready_path = ready_path
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None
        self.log = database.workdir / f"gunicorn-{port}.log"

    def start(self, timeout: float = 60) -> "Server":
        env = self.database.env(GONGKAI_RATELIMIT_ENABLE="0", **self.extra_env)
        argv = [str(BIN / "gunicorn"), "gongkai.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(self.workers), "--threads", str(self.threads), "--timeout", "60",
                "--graceful-timeout", "5", "--access-logfile", "-", "--error-logfile", "-", "--log-level", "warning"]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}): {self.log.read_text()[-2000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", self.ready_path)
                if conn.getresponse().status == 200:
                    conn.close()
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"gunicorn did not answer within {timeout} s: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL the whole process group: master and every worker die at the same instant."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
        self.kill()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# --- the client -----------------------------------------------------------------------------------


class Browser:
    """One visitor: a keep-alive connection to the server and the cookies it was given."""

    def __init__(self, port: int, cookies: dict | None = None, timeout: float = 30):
        self.port, self.timeout = port, timeout
        self.cookies = cookies if cookies is not None else {}
        self.conn: http.client.HTTPConnection | None = None
        self.last_used = 0.0

    def twin(self) -> "Browser":
        """A second tab of the same browser: same cookies, its own connection."""
        return Browser(self.port, self.cookies, self.timeout)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers.setdefault("Referer", f"http://127.0.0.1:{self.port}{path}")
            headers.setdefault("Origin", f"http://127.0.0.1:{self.port}")
        if self.conn is not None and time.monotonic() - self.last_used > IDLE_SECONDS:
            self.close()  # the server may be closing it right now: never send a POST down such a connection
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                self.last_used = time.monotonic()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A kept-alive connection the server closed between requests: once more on a new one,
                # but only for GETs — a POST that may have arrived is the caller's to retry.
                self.conn.close()
                self.conn = None
                if method != "GET" or attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie = value.split(";", 1)[0]
                key, _, val = cookie.partition("=")
                self.cookies[key.strip()] = val.strip()
        return response.status, dict(response.getheaders()), data

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, fields: dict, files: dict | None = None):
        csrf = self.cookies.get("csrftoken", "")
        fields = {"csrfmiddlewaretoken": csrf, **fields}
        if files is None:
            body = urlencode(fields, doseq=True).encode()
            ctype = "application/x-www-form-urlencoded"
        else:
            body, ctype = multipart(fields, files)
        return self.request("POST", path, body, {"Content-Type": ctype, "X-CSRFToken": csrf})

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def multipart(fields: dict, files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = []
    for name, value in fields.items():
        for v in value if isinstance(value, list) else [value]:
            out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{v}\r\n'.encode())
    for name, (filename, content, ctype) in files.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                   f"Content-Type: {ctype}\r\n\r\n".encode() + content + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


def hidden(html: bytes, name: str) -> str:
    m = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html.decode()) or \
        re.search(rf'value="([^"]*)"[^>]*name="{name}"', html.decode())
    return m.group(1) if m else ""


# --- online applications ----------------------------------------------------------------------------


@dataclass
class Submission:
    """One application form, and what the server said to each POST of it."""

    key: str
    description: str
    browser: Browser
    acknowledged: str = ""  # the tracking code of the receipt the server redirected to
    statuses: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def application_fields(key: str, description: str) -> dict:
    return {
        "submission_key": key, "applicant_type": "natural_person", "applicant_name": "张三丰",
        "identity_type": "resident_id", "identity_number": "350322199001011234", "phone": "13812345678",
        "email": "zhangsan@example.com", "address": "福建省莆田市仙游县鲤城街道八二五大街100号", "postal_code": "351200",
        "description": description, "document_hint": "仙工信〔2024〕12号", "delivery_form": "email",
        "delivery_method": "email", "consent": "on",
    }


def open_form(port: int, n: int) -> Submission:
    browser = Browser(port)
    status, _, html = browser.get(f"/{AGENCY}/apply/")
    if status != 200:
        raise RuntimeError(f"the application form answered {status}")
    key = hidden(html, "submission_key")
    return Submission(key=key, description=f"负载测试第{n}号申请：2024年工业企业技术改造补贴的企业名单及补贴金额",
                      browser=browser)


def send(submission: Submission, browser: Browser | None = None) -> None:
    """POST the form once; a 302 to the receipt is the acknowledgement (any other answer is recorded)."""
    browser = browser or submission.browser
    proof = PNG + submission.key.encode()  # a distinct file per application, still a PNG by its content
    try:
        status, headers, _ = browser.post(f"/{AGENCY}/apply/", application_fields(submission.key, submission.description),
                                          files={"identity_proof": ("身份证.png", proof, "image/png")})
    except (OSError, http.client.HTTPException) as e:
        browser.close()
        submission.errors.append(type(e).__name__)
        return
    submission.statuses.append(status)
    m = RECEIPT_RE.search(headers.get("Location", ""))
    if status == 302 and m:
        if submission.acknowledged and submission.acknowledged != m.group(1):
            submission.errors.append(f"two receipts {submission.acknowledged} and {m.group(1)}")
        submission.acknowledged = submission.acknowledged or m.group(1)


def apply_burst(port: int, *, count: int, concurrency: int, double_every: int = 3, deadline: float = 120,
                stop: threading.Event | None = None, submissions: list[Submission] | None = None) -> list[Submission]:
    """``count`` applicants apply at once (``concurrency`` at a time); every ``double_every``-th double-clicks."""
    submissions = submissions if submissions is not None else []
    lock = threading.Lock()
    end = time.monotonic() + deadline

    def one(n: int):
        if (stop is not None and stop.is_set()) or time.monotonic() > end:
            return
        try:
            submission = open_form(port, n)
        except (OSError, http.client.HTTPException, RuntimeError):
            return
        with lock:
            submissions.append(submission)
        if double_every and n % double_every == 0:
            # A double click: the same form twice at the same moment, from two connections of one browser.
            twin = submission.browser.twin()
            threads = [threading.Thread(target=send, args=(submission, b)) for b in (submission.browser, twin)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            twin.close()
        else:
            send(submission)
        submission.browser.close()

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, range(1, count + 1)))
    return submissions


def mid_burst(submissions: list[Submission], *, acknowledged_at_least: int) -> bool:
    """Enough receipts given, and at least one form opened and not yet answered: the moment to kill."""
    snapshot = list(submissions)
    return (sum(1 for s in snapshot if s.acknowledged) >= acknowledged_at_least
            and any(not s.acknowledged and not s.errors for s in snapshot))


def resend_unacknowledged(port: int, submissions: list[Submission]) -> None:
    """After a failure the applicant presses submit again: the same form, the same key."""
    for submission in submissions:
        if not submission.acknowledged:
            browser = Browser(port, submission.browser.cookies)
            send(submission, browser)
            browser.close()


# --- staff ------------------------------------------------------------------------------------------


def staff_login(port: int, username: str) -> Browser:
    browser = Browser(port)
    browser.get("/accounts/login/")
    status, headers, _ = browser.post("/accounts/login/", {"username": username, "password": PASSWORD})
    if status != 302:
        raise RuntimeError(f"{username} could not log in ({status})")
    return browser


@dataclass
class Race:
    application: int
    step: str
    winners: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)


def _step(browser: Browser, name: str, pk: int, step: str, fields: dict, race: Race, refusal: str, barrier):
    path = f"/staff/{AGENCY}/applications/{pk}/actions/{step}/"
    barrier.wait()
    try:
        status, _, body = browser.post(path, {f"{step}-{k}": v for k, v in fields.items()})
    except (OSError, http.client.HTTPException) as e:
        browser.close()
        race.other.append(f"{name}: {type(e).__name__}")
        return
    if status == 302:
        race.winners.append(name)
    elif status == 400 and refusal in body.decode(errors="replace"):
        race.refused.append(name)
    else:
        race.other.append(f"{name}: {status}")


def staff_race(port: int, applications: list[int], *, concurrency: int = 4) -> list[Race]:
    """For each application two registrars confirm receipt at once, then two handlers decide it at once
    with different outcomes: one must win each step, the other be refused with the reason."""
    day = today_in_china()
    staff = {name: [staff_login(port, name) for _ in range(concurrency)] for name in (*REGISTRARS, *HANDLERS)}
    outcomes = {HANDLERS[0]: "disclosed", HANDLERS[1]: "unavailable.not_held"}
    races: list[Race] = []
    lock = threading.Lock()
    free_slots: queue.Queue[int] = queue.Queue()
    for slot in range(concurrency):
        free_slots.put(slot)

    def one(pk):
        slot = free_slots.get()  # each slot's logged-in browsers serve one application at a time
        try:
            _race(pk, slot)
        finally:
            free_slots.put(slot)

    def _race(pk, slot):
        confirm = Race(pk, "confirm_receipt")
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=_step, args=(staff[name][slot], name, pk, "confirm_receipt",
                                                        {"confirmed_on": day}, confirm, REFUSED_CONFIRM, barrier))
                   for name in REGISTRARS]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        decide = Race(pk, "decide")
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=_step, args=(
            staff[name][slot], name, pk, "decide",
            {"outcome": outcomes[name], "legal_basis": f"依据条例作出答复（{name}）", "decided_on": day},
            decide, REFUSED_DECIDE, barrier)) for name in HANDLERS]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with lock:
            races.extend([confirm, decide])

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, applications))
    for browsers in staff.values():
        for b in browsers:
            b.close()
    return races


def race_problems(races: list[Race]) -> list[str]:
    problems = []
    for race in races:
        if len(race.winners) != 1 or len(race.refused) != 1 or race.other:
            problems.append(f"application {race.application} {race.step}: won by {race.winners}, "
                            f"refused {race.refused}, other {race.other}")
    return problems


def expected_outcomes(races: list[Race]) -> dict[str, str]:
    """The outcome each application must hold: the one of the handler whose decision was acknowledged."""
    outcomes = {HANDLERS[0]: "disclosed", HANDLERS[1]: "unavailable.not_held"}
    return {str(r.application): outcomes[r.winners[0]] for r in races if r.step == "decide" and len(r.winners) == 1}


def submission_problems(submissions: list[Submission]) -> dict:
    """What the clients saw: 5xx answers, and anything but a receipt for a form that reached the server."""
    five_xx = sum(1 for s in submissions for status in s.statuses if status >= 500)
    odd = [f"{s.key}: {s.statuses} {s.errors}" for s in submissions
           if any(status not in (302,) for status in s.statuses) or any("receipts" in e for e in s.errors)]
    return {"five_xx": five_xx, "unexpected": odd[:10], "unexpected_count": len(odd)}


# --- inside the database (python -m gongkai.ops.loadtest seed|pending|check) -----------------------


def _seed(_payload) -> dict:
    from django.contrib.auth.models import User

    from gongkai.agencies.models import Agency, Membership, Region, Role

    region, _ = Region.objects.get_or_create(code="load-county", defaults={"name": "负载测试县"})
    agency, _ = Agency.objects.get_or_create(code=AGENCY, defaults={"name": "负载测试县工业和信息化局",
                                                                    "region": region})
    for names, role in ((REGISTRARS, Role.REGISTRAR), (HANDLERS, Role.HANDLER)):
        for name in names:
            user, created = User.objects.get_or_create(username=name)
            if created:
                user.set_password(PASSWORD)
                user.save()
            Membership.objects.get_or_create(user=user, agency=agency, role=role)
    return {"agency": agency.pk}


def _pending(payload) -> dict:
    from gongkai.applications.models import Application

    codes = payload.get("tracking_codes", [])
    rows = Application.objects.filter(tracking_code__in=codes).order_by("id").values_list("id", flat=True)
    return {"ids": list(rows)}


def _check(payload) -> dict:
    """Read everything back: acknowledged once each, every application whole, every race's result kept."""
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count

    from gongkai.applications.models import Application, Document, DocumentKind
    from gongkai.audit.models import AuditEntry

    acknowledged: dict[str, str] = payload.get("acknowledged", {})  # submission key → tracking code
    problems: list[str] = []
    by_key = {str(k): (pk, code) for k, pk, code in
              Application.objects.filter(submission_key__isnull=False).values_list("submission_key", "id", "tracking_code")}
    for key, code in acknowledged.items():
        stored = by_key.get(str(uuid.UUID(key)))
        if stored is None:
            problems.append(f"acknowledged submission {key} ({code}) is not stored")
        elif stored[1] != code:
            problems.append(f"submission {key}: receipt {code}, stored {stored[1]}")
    duplicates = list(Application.objects.values("submission_key").annotate(n=Count("id")).filter(n__gt=1))
    problems += [f"submission {d['submission_key']} stored {d['n']} times" for d in duplicates]
    app_type = "applications.application"
    registered = set(AuditEntry.objects.filter(target_type=app_type, action="application.register")
                     .values_list("target_id", flat=True))  # target ids are kept as text
    ids = list(Application.objects.values_list("id", flat=True))
    str_ids = {str(pk) for pk in ids}
    problems += [f"application {pk} has no registration audit entry" for pk in ids if str(pk) not in registered]
    orphans = [t for t in registered if t not in str_ids]
    problems += [f"audit entry for missing application {t}" for t in orphans]
    media = Path(settings.MEDIA_ROOT)
    proofs = {}
    for document in Document.objects.filter(kind=DocumentKind.IDENTITY_PROOF):
        proofs[document.application_id] = proofs.get(document.application_id, 0) + 1
        path = media / document.file.name
        if not path.is_file():
            problems.append(f"document {document.pk} of application {document.application_id}: file missing")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != document.sha256:
            problems.append(f"document {document.pk}: file differs from its SHA-256")
    problems += [f"application {pk} has no identity proof" for pk in ids if pk not in proofs]
    problems += [f"application {pk} has {n} identity proofs" for pk, n in proofs.items() if n != 1]
    # The races: one confirmation and one decision per application, and the acknowledged decision kept.
    expected: dict[str, str] = payload.get("outcomes", {})
    if expected:
        steps = AuditEntry.objects.filter(target_type=app_type, action__in=["application.confirm_receipt",
                                                                           "application.decide"])
        counts: dict[tuple[str, str], int] = {}
        for target, action in steps.values_list("target_id", "action"):
            counts[(str(target), action)] = counts.get((str(target), action), 0) + 1
        stored = {str(pk): (outcome, serial) for pk, outcome, serial in
                  Application.objects.filter(id__in=[int(k) for k in expected]).values_list("id", "outcome", "serial")}
        for pk, outcome in expected.items():
            if stored.get(pk, ("",))[0] != outcome:
                problems.append(f"application {pk}: acknowledged outcome {outcome}, stored {stored.get(pk)} (lost update)")
            for action in ("application.confirm_receipt", "application.decide"):
                if counts.get((pk, action), 0) != 1:
                    problems.append(f"application {pk}: {counts.get((pk, action), 0)} × {action}")
        serials = sorted(s for _, s in stored.values() if s)
        if len(serials) != len(set(serials)):
            problems.append("two applications share a serial number")
    integrity = "n/a"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            integrity = cursor.fetchone()[0]
        if integrity != "ok":
            problems.append(f"SQLite integrity_check: {integrity}")
    stored_files = {d.file.name for d in Document.objects.all()}
    orphan_files = [p for p in (media / "applications").rglob("*") if p.is_file()
                    and p.relative_to(media).as_posix() not in stored_files] if (media / "applications").exists() else []
    return {"applications": len(ids), "acknowledged": len(acknowledged), "problems": problems[:50],
            "problem_count": len(problems), "integrity": integrity, "orphan_files": len(orphan_files)}


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    django.setup()
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["seed", "pending", "check"])
    args = parser.parse_args()
    payload = json.loads(sys.stdin.read() or "{}")
    print(json.dumps({"seed": _seed, "pending": _pending, "check": _check}[args.action](payload)))


if __name__ == "__main__":
    main()
