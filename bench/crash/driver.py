#!/usr/bin/env python3
"""Crash-consistency driver for Fruition (bench/crash.sh runs it once per engine).

Starts `fruition serve --demo` on a fresh database, then CYCLES times: runs concurrent writers
(an institution's market listings, created and published; an enterprise's bookings; the same
enterprise's bill payments, part voucher and part cash; a carrier manager's CSV imports) for a
random 1–4 s, kill -9s the server in the middle of them, restarts it on the same data, waits for
/readyz, and checks every write that was acknowledged (2xx) so far — in all cycles, not only the
last — plus the books (bills against their payments, the voucher's ledger against its balance),
the all-or-nothing of unacknowledged imports, the search index, and on SQLite
`PRAGMA integrity_check` / `PRAGMA foreign_key_check` (on PostgreSQL: every foreign key
validated and amcheck over every B-tree index). Writes a JSON summary; exits 1 when anything
acknowledged was lost or a check failed, 2 when the run itself could not be carried out.

Standard library only.
"""

import argparse
import csv
import datetime
import http.client
import io
import json
import os
import random
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import zipfile
import xml.etree.ElementTree as ET

KINDS = ("listings", "published", "bookings", "payments", "imports")


def log(msg):
    print(f"[crash] {msg}", file=sys.stderr, flush=True)


class Abort(Exception):
    """The run could not be carried out (not a durability finding)."""


# ---------------------------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------------------------
class Api:
    def __init__(self, port):
        self.port = port

    def call(self, method, path, token=None, body=None, content_type=None, timeout=20):
        """Returns (status, parsed JSON or raw bytes). Raises OSError/HTTPException when the
        server does not answer (killed, refused, reset)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            headers = {}
            if token:
                headers["Authorization"] = f"Bearer {token}"
            data = None
            if body is not None:
                if isinstance(body, (bytes, bytearray)):
                    data = bytes(body)
                    headers["Content-Type"] = content_type or "application/octet-stream"
                else:
                    data = json.dumps(body).encode()
                    headers["Content-Type"] = "application/json"
            conn.request(method, path, body=data, headers=headers)
            res = conn.getresponse()
            raw = res.read()
            ctype = res.getheader("Content-Type") or ""
            if "json" in ctype:
                try:
                    return res.status, json.loads(raw)
                except ValueError:
                    return res.status, raw
            return res.status, raw
        finally:
            conn.close()

    def ok(self, method, path, token=None, body=None, expect=(200, 201), **kw):
        status, answer = self.call(method, path, token, body, **kw)
        if status not in expect:
            raise Abort(f"{method} {path} answered {status}: {str(answer)[:400]}")
        return answer


def q(path, **params):
    return path + "?" + urllib.parse.urlencode(params)


# ---------------------------------------------------------------------------------------------
# Server
# ---------------------------------------------------------------------------------------------
class Server:
    def __init__(self, args):
        self.args = args
        self.proc = None
        self.starts = 0
        self.port = args.port
        self.api = Api(self.port)

    def base_cmd(self):
        cmd = [self.args.bin, "--data", self.args.data]
        if self.args.database:
            cmd += ["--database", self.args.database]
        return cmd

    def start(self, demo=False):
        self.starts += 1
        tag = f"{self.starts:03d}"
        cmd = self.base_cmd() + ["serve", "--listen", f"127.0.0.1:{self.port}"]
        if demo:
            cmd.append("--demo")
        out = open(os.path.join(self.args.logs, f"serve-{tag}.out"), "wb")
        err = open(os.path.join(self.args.logs, f"serve-{tag}.err"), "wb")
        env = dict(os.environ, RUST_LOG=os.environ.get("RUST_LOG", "warn"))
        self.proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        out.close()
        err.close()
        with open(self.args.pidfile, "w") as f:
            f.write(str(self.proc.pid))
        return time.monotonic()

    def wait_ready(self, timeout):
        t0 = time.monotonic()
        deadline = t0 + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise Abort(f"server exited with {self.proc.returncode} before ready "
                            f"(see {self.args.logs}/serve-{self.starts:03d}.err): "
                            + self.tail_err())
            try:
                status, _ = self.api.call("GET", "/readyz", timeout=2)
                if status == 200:
                    return
                last = status
            except (OSError, http.client.HTTPException) as e:
                last = type(e).__name__
            time.sleep(0.02)
        raise Abort(f"not ready after {timeout} s (last: {last}): " + self.tail_err())

    def tail_err(self):
        try:
            with open(os.path.join(self.args.logs, f"serve-{self.starts:03d}.err"), "rb") as f:
                return f.read()[-1500:].decode(errors="replace")
        except OSError:
            return ""

    def kill9(self):
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def cli(self, *argv):
        r = subprocess.run(self.base_cmd() + list(argv), capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise Abort(f"fruition {' '.join(argv)} failed: {r.stderr[-800:]}")
        return r.stdout


# ---------------------------------------------------------------------------------------------
# Helpers for the data
# ---------------------------------------------------------------------------------------------
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(n):
    """A valid unified social credit code (as tests/it/support.rs `test_uscc`)."""
    body = f"91430211{n % 1_000_000_000:09d}"
    s = sum(USCC_CHARSET.index(c) * w for c, w in zip(body, USCC_WEIGHTS))
    return body + USCC_CHARSET[(31 - s % 31) % 31]


def xlsx_first_row(data):
    """The header row of an .xlsx workbook's first sheet (standard library only)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    z = zipfile.ZipFile(io.BytesIO(data))
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        root = ET.fromstring(z.read("xl/sharedStrings.xml"))
        for si in root.findall("m:si", ns):
            shared.append("".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t")))
    sheet = sorted(n for n in z.namelist() if re.match(r"xl/worksheets/sheet\d+\.xml$", n))[0]
    root = ET.fromstring(z.read(sheet))
    row = root.find("m:sheetData/m:row", ns)
    out = []
    for c in row.findall("m:c", ns):
        t = c.get("t")
        if t == "s":
            out.append(shared[int(c.find("m:v", ns).text)])
        elif t == "inlineStr":
            out.append("".join(x.text or "" for x in c.iter(f"{{{ns['m']}}}t")))
        else:
            v = c.find("m:v", ns)
            out.append(v.text if v is not None else "")
    return out


def achievement(title):
    return {
        "kind": "achievement",
        "title": title,
        "summary": "面向轨道交通牵引系统的碳化硅功率模块与牵引变流器集成技术，已完成装车试验。",
        "body": "采用碳化硅功率半导体器件，开关损耗降低百分之四十，适用于城轨车辆与干线机车。",
        "field": "轨道交通",
        "county": "天元区",
        "trl": 7,
        "price_k": 3000,
        "modes": ["licence", "joint_development"],
        "inventors": ["张工", "李工"],
        "patents": ["ZL201710601862.3"],
    }


def fen(yuan_str):
    return round(float(yuan_str) * 100)


# ---------------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------------
class Run:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.server = Server(args)
        self.api = self.server.api
        self.lock = threading.Lock()
        self.tag = args.tag  # makes titles and codes unique to this run
        # Acknowledged writes, cumulative over the cycles.
        self.listings = {}  # id -> {"title", "published": bool, "cycle"}
        self.bookings = {}  # id -> {"starts_at", "resource", "cycle"}
        self.payments = []  # {"bill", "reference", "cash_fen", "voucher_fen", "cycle"}
        self.imports = []  # {"codes": [...], "cycle"}
        self.unacked_imports = []  # imports sent without an answer: all rows or none
        self.unacked_payments = []  # payments sent without an answer (committed or not)
        self.landed = {"payments": 0, "imports": 0}  # unanswered writes that had committed
        self.counter = 0
        self.cycles = []
        self.failures = []  # check failures (text)
        self.lost = {k: [] for k in KINDS}

    def next_n(self):
        with self.lock:
            self.counter += 1
            return self.counter

    # ---- setup ----------------------------------------------------------------------------
    def setup(self):
        a = self.args
        log(f"{a.engine}: first start with --demo (loads the demo data)")
        self.server.start(demo=True)
        t0 = time.monotonic()
        self.server.wait_ready(a.first_ready_timeout)
        log(f"{a.engine}: demo server ready in {time.monotonic() - t0:.1f} s")
        self.tok = {}
        for login in ("demo.admin", "demo.carrier", "demo.enterprise", "demo.institution"):
            out = self.server.cli("user", "token", login, "--name", "crash")
            token = out.strip().splitlines()[-1].strip()
            if not re.fullmatch(r"[0-9a-f]{64}", token):
                raise Abort(f"user token {login} printed {out!r}")
            self.tok[login.split(".")[1]] = token
        me = {k: self.api.ok("GET", "/api/v1/me", t) for k, t in self.tok.items()}
        self.org = {k: (m.get("organisation") or m.get("org") or {}).get("id", m.get("org_id"))
                    for k, m in me.items()}
        log(f"{a.engine}: organisations {self.org}")

        # The demo operator's own resources: hour-priced, open the most hours.
        mine = self.api.ok("GET", "/api/v1/me/resources", self.tok["carrier"])
        if isinstance(mine, dict):
            mine = mine.get("resources") or mine.get("items") or []
        hourly = [r for r in mine if r.get("unit") == "hour" and r.get("active", True)]
        if not hourly:
            raise Abort(f"demo.carrier has no hour-priced resource: {str(mine)[:600]}")
        res = max(hourly, key=lambda r: (len(r.get("open_days") or []),
                                         (r.get("open_to") or 0) - (r.get("open_from") or 0)))
        self.resource = self.api.ok("GET", f"/api/v1/resources/{res['id']}")
        if "resource" in self.resource:
            self.resource = self.resource["resource"]
        r = self.resource
        log(f"{a.engine}: resource #{r['id']} {r.get('name')} kind={r.get('kind')} "
            f"days={r.get('open_days')} {r.get('open_from')}–{r.get('open_to')} "
            f"horizon={r.get('horizon_days')} prepay_if_overdue={r.get('prepay_if_overdue')}")
        # Bookings go to every active hour-priced resource in the catalogue (more free slots);
        # the bills' bookings to the demo operator's own.
        catalogue = self.api.ok("GET", "/api/v1/resources")
        if isinstance(catalogue, dict):
            catalogue = catalogue.get("resources") or catalogue.get("items") or []
        self.booking_resources = {x["id"]: x for x in catalogue
                                  if x.get("unit") == "hour" and x.get("active", True)}
        self.booking_resources.setdefault(r["id"], r)
        self.slots = []
        for x in self.booking_resources.values():
            self.slots += [(x["id"], s) for s in self.slot_pool(x)]
        self.rng.shuffle(self.slots)
        # Whole days of the operator's resource kept for the bills' 8-hour bookings.
        days = sorted({s[:10] for rid, s in self.slots if rid == r["id"]})
        bill_days = set(self.rng.sample(days, min(len(days), 3 * a.bills)))
        self.bill_slots = [f"{d} {r.get('open_from') or 8:02d}:00" for d in sorted(bill_days)]
        self.slots = [(rid, s) for rid, s in self.slots
                      if rid != r["id"] or s[:10] not in bill_days]
        log(f"{a.engine}: bookings on {len(self.booking_resources)} hour-priced resources, "
            f"{len(self.slots)} free slots to try")

        # The demo enterprise has overdue bills, so the owner would ask it to prepay, and a
        # prepayment bill takes no voucher: it settles them first (in cash, as the payer).
        overdue = self.api.ok("GET", q("/api/v1/bills", side="payer", overdue="true"),
                              self.tok["enterprise"])
        for b in overdue:
            if b["outstanding_fen"] > 0:
                yuan = f"{b['outstanding_fen'] // 100}.{b['outstanding_fen'] % 100:02d}"
                self.api.ok("POST", f"/api/v1/bills/{b['id']}/payments", self.tok["enterprise"],
                            {"cash": yuan, "reference": "崩溃验证前结清逾期账单"})
        log(f"{a.engine}: settled {len(overdue)} overdue bills of the demo enterprise")
        # Bills to pay: book, confirm, record the use, bill (prepayment bookings bill at confirm).
        self.voucher = self.api.ok("POST", "/api/v1/vouchers", self.tok["admin"], {
            "org_id": self.org["enterprise"], "amount": "50000", "valid_from": self.day(-30),
            "valid_to": self.day(300), "share_pct": 100, "yearly_cap": "50000", "kinds": []})
        self.voucher_id = self.voucher["voucher"]["id"]
        self.bills = [self.make_bill(units=8) for _ in range(a.bills)]
        log(f"{a.engine}: voucher #{self.voucher_id}, bills {self.bills}")

        # The carrier to import into, and a year whose report takes imports.
        carriers = self.api.ok("GET", q("/api/v1/carriers", operator_org_id=self.org["carrier"]),
                               self.tok["carrier"])
        if isinstance(carriers, dict):
            carriers = carriers.get("carriers") or carriers.get("items") or []
        own = [c for c in carriers if c.get("operator_org_id") == self.org["carrier"]
               and not c.get("revoked_on")]
        if not own:
            raise Abort(f"demo.carrier operates no carrier: {str(carriers)[:600]}")
        self.carrier = own[0]["id"]
        template = self.api.ok("GET", "/api/v1/import-template", self.tok["carrier"])
        self.headers = xlsx_first_row(template)
        self.year = None
        today = datetime.date.today()
        for year in (today.year, today.year - 1, today.year + 1):
            status, answer = self.send_import(year, self.new_codes(1))
            if status == 200:
                self.year = year
                break
            log(f"{a.engine}: import into {year}: {status} {str(answer)[:300]}")
        if self.year is None:
            raise Abort("no year takes an import for the demo carrier")
        log(f"{a.engine}: carrier #{self.carrier}, imports into {self.year}; "
            f"{len(self.headers)} columns")

    def day(self, n):
        return (datetime.date.today() + datetime.timedelta(days=n)).isoformat()

    def slot_pool(self, r):
        days = r.get("open_days") or [1, 2, 3, 4, 5, 6, 7]
        lo, hi = r.get("open_from") or 8, r.get("open_to") or 18
        horizon = r.get("horizon_days") or 365
        pool = []
        for d in range(14, max(20, horizon - 3)):
            date = datetime.date.today() + datetime.timedelta(days=d)
            if date.isoweekday() not in days:
                continue
            for h in range(lo, hi):
                pool.append(f"{date.isoformat()} {h:02d}:00")
        self.rng.shuffle(pool)
        return pool

    def take_slot(self):
        """A (resource id, start) not tried before, for a one-hour booking."""
        with self.lock:
            return self.slots.pop() if self.slots else None

    def take_bill_slot(self, units):
        with self.lock:
            while self.bill_slots:
                s = self.bill_slots.pop()
                if int(s[11:13]) + units <= (self.resource.get("open_to") or 18):
                    return s
            return None

    def make_bill(self, units):
        ent, car = self.tok["enterprise"], self.tok["carrier"]
        rid = self.resource["id"]
        for _ in range(50):
            start = self.take_bill_slot(units)
            if start is None:
                raise Abort("no slot left for a bill's booking")
            status, d = self.api.call("POST", f"/api/v1/resources/{rid}/bookings", ent, {
                "starts_at": start, "units": units, "purpose": "崩溃验证：待付账单",
                "accept_safety_notes": True})
            if status == 201:
                break
            if status not in (409, 422):
                raise Abort(f"booking for a bill answered {status}: {str(d)[:400]}")
        else:
            raise Abort("could not book a slot for a bill")
        b = d["booking"]["id"]
        d = self.api.ok("POST", f"/api/v1/bookings/{b}/actions", car, {"step": "confirm"})
        # With prepayment (the booker has an overdue bill and the owner asks for it) confirming
        # issues the bill; otherwise the use is recorded, then billed.
        if d["booking"]["status"] == "confirmed":
            d = self.api.ok("POST", f"/api/v1/bookings/{b}/actions", car,
                            {"step": "record_use", "used_units": units, "use_note": "崩溃验证"})
        if d["booking"]["status"] == "used":
            d = self.api.ok("POST", f"/api/v1/bookings/{b}/actions", car,
                            {"step": "bill", "due_on": self.day(30)})
        bill = (d.get("bill") or {}).get("id")
        if bill is None:
            bills = self.api.ok("GET", q("/api/v1/bills", booking_id=b), ent)
            raise Abort(f"no bill for booking {b}: {str(d)[:300]} {str(bills)[:300]}")
        return bill

    def new_codes(self, n):
        with self.lock:
            base = self.counter
            self.counter += n
        return [uscc(self.args.uscc_base + base + i) for i in range(n)]

    def import_csv(self, year, codes):
        """A CSV under the template's headers: 10 profile columns, then the 17 figures."""
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.headers)
        n_profile = len(self.headers) - 17
        for i, code in enumerate(codes):
            row = [code, f"崩溃验证企业{self.tag}{code[-9:]}有限公司", "2020-01-01", "天元区", "",
                   "轨道交通", "37", "否", "否", f"{year}-01-{1 + i % 28:02d}"]
            row = row[:n_profile] + [""] * (n_profile - len(row))
            row += [str(10 + i), "1"] + ["0"] * 15
            w.writerow(row)
        return buf.getvalue().encode()

    def send_import(self, year, codes):
        return self.api.call("POST", q(f"/api/v1/carriers/{self.carrier}/imports", year=year),
                             self.tok["carrier"], self.import_csv(year, codes),
                             content_type="text/csv", timeout=60)

    # ---- writers --------------------------------------------------------------------------
    def writer(self, kind, fn, stats, stop):
        """Calls fn() until stop; fn returns 'ack', 'refused' or raises on no answer."""
        while not stop.is_set():
            try:
                outcome = fn()
            except ConnectionRefusedError:
                outcome = "refused_connection"  # sent after the kill: never reached a server
                time.sleep(0.02)
            except (OSError, http.client.HTTPException):
                outcome = "no_answer"  # in flight when the server died
                time.sleep(0.02)
            with self.lock:
                stats[kind][outcome] = stats[kind].get(outcome, 0) + 1

    def write_listing(self, cycle):
        n = self.next_n()
        uid = f"zq{self.tag}c{cycle}n{n}"
        title = f"碳化硅牵引变流器崩溃验证 {uid}"
        status, d = self.api.call("POST", "/api/v1/listings", self.tok["institution"],
                                  achievement(title))
        if status != 201:
            self.note_refusal("listing", status, d)
            return "refused"
        lid = d["id"]
        with self.lock:
            self.listings[lid] = {"title": title, "uid": uid, "published": False, "cycle": cycle}
        status, d = self.api.call("POST", f"/api/v1/listings/{lid}/actions",
                                  self.tok["institution"], {"action": "publish"})
        if status != 200:
            self.note_refusal("publish", status, d)
            return "ack"
        with self.lock:
            self.listings[lid]["published"] = True
        return "ack"

    def write_booking(self, cycle):
        slot = self.take_slot()
        if slot is None:
            time.sleep(0.1)
            return "no_slot_left"
        rid, start = slot
        status, d = self.api.call("POST", f"/api/v1/resources/{rid}/bookings",
                                  self.tok["enterprise"], {
                                      "starts_at": start, "units": 1,
                                      "purpose": f"崩溃验证预约 {self.tag}",
                                      "accept_safety_notes": True})
        if status != 201:
            self.note_refusal("booking", status, d)
            return "refused"
        with self.lock:
            self.bookings[d["booking"]["id"]] = {"starts_at": start, "resource": rid,
                                                 "cycle": cycle}
        return "ack"

    def write_payment(self, cycle):
        n = self.next_n()
        bill = self.bills[n % len(self.bills)]
        ref = f"crash-{self.tag}-{n}"
        body = {"cash": "1.00", "reference": ref}
        if n % 2 == 0 and not self.voucher_exhausted:
            body.update({"voucher_id": self.voucher_id, "voucher_amount": "1.50"})
        try:
            status, d = self.api.call("POST", f"/api/v1/bills/{bill}/payments",
                                      self.tok["enterprise"], body)
        except ConnectionRefusedError:
            raise
        except (OSError, http.client.HTTPException):
            with self.lock:
                self.unacked_payments.append({"bill": bill, "reference": ref})
            raise
        if status != 200:
            self.note_refusal("payment", status, d)
            if "voucher_id" in body and status == 409:
                self.voucher_exhausted = True
            return "refused"
        with self.lock:
            self.payments.append({"bill": bill, "reference": ref, "cash_fen": 100,
                                  "voucher_fen": 150 if "voucher_id" in body else 0,
                                  "cycle": cycle})
        return "ack"

    def write_import(self, cycle):
        codes = self.new_codes(self.args.import_rows)
        entry = {"codes": codes, "cycle": cycle}
        try:
            status, d = self.send_import(self.year, codes)
        except ConnectionRefusedError:
            raise
        except (OSError, http.client.HTTPException):
            with self.lock:
                self.unacked_imports.append(entry)
            raise
        if status != 200:
            self.note_refusal("import", status, d)
            return "refused"
        if d.get("created") != len(codes):
            self.failures.append(f"import created {d.get('created')} of {len(codes)}: {d}")
        with self.lock:
            self.imports.append(entry)
        # Imports are the largest transactions; back to back they would hold SQLite's one
        # writer most of the time and starve the other writers.
        time.sleep(self.args.import_pause)
        return "ack"

    def note_refusal(self, what, status, d):
        with self.lock:
            key = f"{what} {status}"
            self.refusals[key] = self.refusals.get(key, 0) + 1
            if self.refusals[key] <= 2 and status not in (409,):
                log(f"{what} answered {status}: {str(d)[:300]}")

    # ---- checks ---------------------------------------------------------------------------
    def check_all(self, cycle):
        """Checks every acknowledged write so far; returns the problems found."""
        problems = []
        lost = {k: [] for k in KINDS}
        inst, ent, admin = self.tok["institution"], self.tok["enterprise"], self.tok["admin"]

        # Listings: there, with their title; published if publishing was acknowledged.
        with self.lock:
            listings = dict(self.listings)
            bookings = dict(self.bookings)
            payments = list(self.payments)
            imports = list(self.imports)
            unacked = list(self.unacked_imports)
            unacked_pay = list(self.unacked_payments)
        for lid, l in listings.items():
            status, d = self.api.call("GET", f"/api/v1/listings/{lid}", inst)
            if status != 200:
                lost["listings"].append(f"listing #{lid} {l['title']}: {status}")
                continue
            if d.get("title") != l["title"]:
                lost["listings"].append(f"listing #{lid}: title {d.get('title')!r} != {l['title']!r}")
            if l["published"] and d.get("status") != "published":
                lost["published"].append(f"listing #{lid}: status {d.get('status')} after an "
                                         "acknowledged publish")
            elif d.get("status") not in ("draft", "published"):
                problems.append(f"listing #{lid}: unexpected status {d.get('status')}")

        # The search index finds every acknowledged published listing by its title (the
        # server catches up from the change log after a restart: give it a few seconds).
        want = {lid: l for lid, l in listings.items() if l["published"]}
        missing = dict(want)
        search_deadline = time.monotonic() + self.args.search_grace
        while True:
            for lid, l in list(missing.items()):
                status, d = self.api.call("GET", q("/api/v1/listings", q=l["title"]))
                hits = [h.get("listing", {}).get("id") for h in (d.get("hits") or [])] \
                    if status == 200 and isinstance(d, dict) else []
                if lid in hits:
                    del missing[lid]
            if not missing or time.monotonic() > search_deadline:
                break
            time.sleep(0.25)
        search_missing = [f"listing #{lid} {l['title']} not found by its title" for lid, l in
                          missing.items()]

        # Bookings: there, at their slot.
        for bid, b in bookings.items():
            status, d = self.api.call("GET", f"/api/v1/bookings/{bid}", ent)
            bk = d.get("booking", d) if isinstance(d, dict) else {}
            if status != 200:
                lost["bookings"].append(f"booking #{bid} {b['starts_at']}: {status}")
            elif bk.get("starts_at") != b["starts_at"] or bk.get("resource_id", b["resource"]) != b["resource"]:
                lost["bookings"].append(f"booking #{bid}: starts_at {bk.get('starts_at')} != {b['starts_at']}")

        # Payments: every acknowledged one on its bill; each bill's paid and voucher amounts are
        # the sums of its payments; the voucher's ledger adds up to its balance.
        by_bill = {}
        for p in payments:
            by_bill.setdefault(p["bill"], []).append(p)
        voucher_on_bills = 0
        landed_payments = 0
        for bill in self.bills:
            status, d = self.api.call("GET", f"/api/v1/bills/{bill}", ent)
            if status != 200:
                problems.append(f"bill #{bill}: {status}")
                for p in by_bill.get(bill, []):
                    lost["payments"].append(f"payment {p['reference']} on bill #{bill}")
                continue
            got = {p.get("reference"): p for p in d["payments"]}
            landed_payments += sum(1 for p in unacked_pay if p["bill"] == bill
                                   and p["reference"] in got)
            for p in by_bill.get(bill, []):
                g = got.get(p["reference"])
                if g is None:
                    lost["payments"].append(f"payment {p['reference']} on bill #{bill} missing")
                elif g["cash_fen"] != p["cash_fen"] or g["voucher_fen"] != p["voucher_fen"]:
                    lost["payments"].append(f"payment {p['reference']}: {g['cash_fen']}+"
                                            f"{g['voucher_fen']} != {p['cash_fen']}+{p['voucher_fen']}")
            b = d["bill"]
            cash = sum(p["cash_fen"] for p in d["payments"])
            vouch = sum(p["voucher_fen"] for p in d["payments"])
            voucher_on_bills += sum(p["voucher_fen"] for p in d["payments"]
                                    if p.get("voucher_id") == self.voucher_id)
            if b["paid_fen"] != cash or b["voucher_fen"] != vouch:
                problems.append(f"bill #{bill}: paid {b['paid_fen']} / voucher {b['voucher_fen']} "
                                f"but its payments sum to {cash} / {vouch}")
            if b["outstanding_fen"] != b["amount_fen"] - b["paid_fen"] - b["voucher_fen"]:
                problems.append(f"bill #{bill}: outstanding {b['outstanding_fen']} != amount "
                                f"{b['amount_fen']} - paid - vouchers")
        status, v = self.api.call("GET", f"/api/v1/vouchers/{self.voucher_id}", ent)
        if status != 200:
            problems.append(f"voucher #{self.voucher_id}: {status}")
        else:
            entries = v["entries"]
            balance = v["voucher"]["balance_fen"]
            total = sum(e["amount_fen"] for e in entries)
            spent = -sum(e["amount_fen"] for e in entries if e.get("bill_id") in self.bills)
            if total != balance:
                problems.append(f"voucher #{self.voucher_id}: ledger sums to {total}, balance {balance}")
            if entries and entries[-1]["balance_fen"] != balance:
                problems.append(f"voucher #{self.voucher_id}: last entry's balance "
                                f"{entries[-1]['balance_fen']} != {balance}")
            if spent != voucher_on_bills:
                problems.append(f"voucher #{self.voucher_id}: spends on the bills {spent} != voucher "
                                f"payments {voucher_on_bills}")

        # Imports: every acknowledged import's enterprises exist and incubate at the carrier;
        # an import sent without an answer wrote all its rows or none.
        # The carrier's incubatees now, a thousand at a time.
        here, after = set(), 0
        while True:
            status, rows = self.api.call("GET", q("/api/v1/enterprises", carrier_id=self.carrier,
                                                  limit=1000, after_id=after), admin)
            if status != 200:
                problems.append(f"GET /api/v1/enterprises?carrier_id={self.carrier}: {status}")
                break
            here.update(e["uscc"] for e in rows)
            if len(rows) < 1000:
                break
            after = rows[-1]["id"]

        def found(code):
            return code in here

        for imp in imports:
            absent = [c for c in imp["codes"] if not found(c)]
            if absent:
                lost["imports"].append(f"import of {imp['codes'][0]}…: {len(absent)} of "
                                       f"{len(imp['codes'])} enterprises missing")
        landed_imports = 0
        for imp in unacked:
            n = sum(1 for c in imp["codes"] if found(c))
            landed_imports += n == len(imp["codes"])
            if n not in (0, len(imp["codes"])):
                problems.append(f"unacknowledged import of {imp['codes'][0]}…: {n} of "
                                f"{len(imp['codes'])} rows written (not all or nothing)")
        self.landed = {"payments": landed_payments, "imports": landed_imports}
        return problems, lost, search_missing

    def check_database(self):
        """SQLite: integrity and foreign keys (read-only, beside the running server).
        PostgreSQL: every foreign key validated, amcheck over the schema's B-tree indexes."""
        if self.args.engine == "sqlite":
            path = os.path.join(self.args.data, "fruition.db")
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
            try:
                integrity = [r[0] for r in con.execute("PRAGMA integrity_check")]
                fks = con.execute("PRAGMA foreign_key_check").fetchall()
            finally:
                con.close()
            ok = integrity == ["ok"] and not fks
            return ok, f"integrity_check={'/'.join(integrity)[:200]}, foreign_key_check={len(fks)} rows" \
                + (f" {fks[:5]}" if fks else "")
        sql = (
            "CREATE EXTENSION IF NOT EXISTS amcheck;"
            "SELECT 'unvalidated_fks', count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
            " WHERE c.contype = 'f' AND NOT c.convalidated AND n.nspname = 'public';"
            "SELECT 'fks', count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
            " WHERE c.contype = 'f' AND n.nspname = 'public';"
            "SELECT 'btree_checked', count(bt_index_check(i.indexrelid, true)) FROM pg_index i "
            " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            " JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'btree' AND n.nspname = 'public' "
            " AND c.relpersistence <> 't' AND i.indisvalid;"
        )
        r = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d",
                            self.args.database, "-c", sql], capture_output=True, text=True,
                           timeout=300)
        if r.returncode != 0:
            return False, f"psql failed: {r.stderr.strip()[-400:]}"
        vals = dict(line.split("|", 1) for line in r.stdout.split() if "|" in line)
        ok = vals.get("unvalidated_fks") == "0"
        return ok, (f"foreign keys {vals.get('fks')} (unvalidated {vals.get('unvalidated_fks')}), "
                    f"amcheck bt_index_check(heapallindexed) on {vals.get('btree_checked')} indexes: ok")

    # ---- cycles ---------------------------------------------------------------------------
    def cycle(self, c):
        a = self.args
        stats = {k: {} for k in ("listings", "bookings", "payments", "imports")}
        self.refusals = getattr(self, "refusals", {})
        stop = threading.Event()
        before = {"listings": len(self.listings),
                  "published": sum(1 for l in self.listings.values() if l["published"]),
                  "bookings": len(self.bookings), "payments": len(self.payments),
                  "imports": len(self.imports)}
        threads = []
        plan = [("listings", self.write_listing, a.listing_writers),
                ("bookings", self.write_booking, 1),
                ("payments", self.write_payment, 1),
                ("imports", self.write_import, 1)]
        for kind, fn, n in plan:
            for _ in range(n):
                t = threading.Thread(target=self.writer,
                                     args=(kind, lambda fn=fn: fn(c), stats, stop), daemon=True)
                t.start()
                threads.append(t)
        window = self.rng.uniform(a.min_write, a.max_write)
        time.sleep(window)
        self.server.kill9()
        killed_at = time.monotonic()
        stop.set()
        for t in threads:
            t.join(timeout=90)
        if any(t.is_alive() for t in threads):
            raise Abort("a writer did not stop after the kill")
        t0 = time.monotonic()
        self.server.start()
        self.server.wait_ready(a.ready_timeout)
        ready_ms = (time.monotonic() - t0) * 1000
        problems, lost, search_missing = self.check_all(c)
        db_ok, db_note = self.check_database()
        if not db_ok:
            problems.append(f"database check: {db_note}")
        after = {"listings": len(self.listings),
                 "published": sum(1 for l in self.listings.values() if l["published"]),
                 "bookings": len(self.bookings), "payments": len(self.payments),
                 "imports": len(self.imports)}
        acked = {k: after[k] - before[k] for k in after}
        no_answer = {k: stats[k].get("no_answer", 0) for k in stats}
        lost_n = {k: len(v) for k, v in lost.items()}
        lost_n["search"] = len(search_missing)
        rec = {"cycle": c, "write_s": round(window, 2), "ready_after_kill_ms": round(ready_ms),
               "acked": acked, "in_flight_at_kill": no_answer, "lost": lost_n,
               "problems": problems, "db": db_note,
               "sent_after_kill": {k: stats[k].get("refused_connection", 0) for k in stats},
               "landed_so_far": dict(self.landed),
               "lost_detail": {k: v[:10] for k, v in lost.items() if v}
               | ({"search": search_missing[:10]} if search_missing else {})}
        self.cycles.append(rec)
        status = "OK" if not problems and not any(lost_n.values()) else "FAIL"
        log(f"{a.engine} cycle {c}/{a.cycles}: wrote {window:.1f} s, acked {acked}, "
            f"unanswered at kill {no_answer}; ready {ready_ms:.0f} ms after restart; "
            f"lost {lost_n}; {db_note}; {status}")
        for p in problems[:10]:
            log(f"  problem: {p}")
        for k, v in rec["lost_detail"].items():
            for x in v[:5]:
                log(f"  LOST {k}: {x}")

    def run(self):
        self.voucher_exhausted = False
        self.refusals = {}
        self.setup()
        if self.args.self_test:
            # Writes that were never made, recorded as acknowledged: the checks must call each
            # of them lost (and the script fail), proving they are not vacuous.
            n = self.next_n()
            self.listings[10**9] = {"title": f"不存在的成果 zq{self.tag}self{n}", "uid": "",
                                    "published": True, "cycle": 0}
            self.bookings[10**9] = {"starts_at": "2030-01-01 09:00",
                                    "resource": self.resource["id"], "cycle": 0}
            self.payments.append({"bill": self.bills[0], "reference": f"never-{self.tag}",
                                  "cash_fen": 100, "voucher_fen": 0, "cycle": 0})
            self.imports.append({"codes": self.new_codes(2), "cycle": 0})
            log(f"{self.args.engine}: SELF_TEST: one fake acknowledged write of each kind added")
        for c in range(1, self.args.cycles + 1):
            self.cycle(c)
        # Last: a clean stop, then the database once more with nobody attached.
        self.server.stop()
        final_ok, final_note = True, "n/a"
        if self.args.engine == "sqlite":
            final_ok, final_note = self.check_database()
        return final_ok, final_note


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--engine", required=True, choices=["sqlite", "postgres"])
    p.add_argument("--bin", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--database")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--logs", required=True)
    p.add_argument("--pidfile", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--cycles", type=int, default=5)
    p.add_argument("--min-write", type=float, default=1.0)
    p.add_argument("--max-write", type=float, default=4.0)
    p.add_argument("--listing-writers", type=int, default=2)
    p.add_argument("--import-rows", type=int, default=5)
    p.add_argument("--bills", type=int, default=3)
    p.add_argument("--import-pause", type=float, default=0.05)
    p.add_argument("--self-test", action="store_true")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--tag", default="x")
    p.add_argument("--uscc-base", type=int, default=None)
    p.add_argument("--search-grace", type=float, default=10.0)
    p.add_argument("--ready-timeout", type=float, default=60.0)
    p.add_argument("--first-ready-timeout", type=float, default=600.0)
    args = p.parse_args()
    if args.seed is None:
        args.seed = random.randrange(1 << 30)
    if args.uscc_base is None:
        args.uscc_base = 800_000_000 + (args.seed % 1000) * 100_000
    run = Run(args)
    summary = {"engine": args.engine, "seed": args.seed, "cycles": [], "aborted": None}
    rc = 0
    try:
        final_ok, final_note = run.run()
        summary["final_db"] = final_note
        if not final_ok:
            run.failures.append(f"final database check: {final_note}")
    except Abort as e:
        summary["aborted"] = str(e)
        log(f"{args.engine}: ABORTED: {e}")
        rc = 2
    except Exception as e:  # noqa: BLE001 — reported, not hidden
        import traceback
        traceback.print_exc()
        summary["aborted"] = f"{type(e).__name__}: {e}"
        rc = 2
    finally:
        run.server.stop()
    cycles = run.cycles
    summary["cycles"] = cycles
    summary["refusals"] = getattr(run, "refusals", {})
    summary["totals"] = {
        "cycles": len(cycles),
        "acked": {k: sum(c["acked"][k] for c in cycles) for k in KINDS},
        "in_flight_at_kill": {k: sum(c["in_flight_at_kill"][k] for c in cycles)
                              for k in ("listings", "bookings", "payments", "imports")},
        # Lost is cumulative per check: report the worst cycle per kind.
        "lost": {k: max([c["lost"].get(k, 0) for c in cycles] or [0]) for k in KINDS + ("search",)},
        "problems": sum(len(c["problems"]) for c in cycles) + len(run.failures),
        "ready_after_kill_ms": {
            "min": min([c["ready_after_kill_ms"] for c in cycles] or [0]),
            "median": round(statistics.median([c["ready_after_kill_ms"] for c in cycles] or [0])),
            "max": max([c["ready_after_kill_ms"] for c in cycles] or [0])},
        "unacked_imports_checked": len(run.unacked_imports),
        "unacked_payments": len(run.unacked_payments),
        "landed": dict(run.landed),
    }
    summary["failures"] = run.failures
    with open(args.out, "w") as f:
        json.dump(summary, f, ensure_ascii=False, indent=1)
    t = summary["totals"]
    if rc == 0 and (any(t["lost"].values()) or t["problems"]):
        rc = 1
    sys.exit(rc)


if __name__ == "__main__":
    main()
