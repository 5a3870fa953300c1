#!/usr/bin/env python3
"""Prints the Markdown figures of bench/crash.sh from the drivers' JSON summaries."""

import json
import sys

KINDS = [
    ("listings", "listings created"),
    ("published", "… of which published"),
    ("bookings", "bookings"),
    ("payments", "payments (half with a voucher part)"),
    ("imports", "imports (all rows or none)"),
]


def main(paths):
    runs = [json.load(open(p)) for p in paths]
    names = [r["engine"] for r in runs]
    print("| | " + " | ".join(names) + " |")
    print("|---" * (len(runs) + 1) + "|")

    def row(label, fn):
        print(f"| {label} | " + " | ".join(fn(r) for r in runs) + " |")

    row("cycles (kill -9 → restart → check)", lambda r: str(r["totals"]["cycles"]))
    for key, label in KINDS:
        row(f"acknowledged {label}", lambda r, k=key: str(r["totals"]["acked"][k]))
    row("writes unanswered at the kill (listings / bookings / payments / imports)",
        lambda r: " / ".join(str(r["totals"]["in_flight_at_kill"][k])
                             for k in ("listings", "bookings", "payments", "imports")))
    row("**acknowledged writes lost**",
        lambda r: "**" + str(sum(v for k, v in r["totals"]["lost"].items() if k != "search")) + "**")
    row("published listings the search index did not find",
        lambda r: str(r["totals"]["lost"]["search"]))
    row("… of which committed all the same (payments / imports: found after the restart)",
        lambda r: f"{r['totals'].get('landed', {}).get('payments', 0)} of "
                  f"{r['totals'].get('unacked_payments', 0)} / "
                  f"{r['totals'].get('landed', {}).get('imports', 0)} of "
                  f"{r['totals']['unacked_imports_checked']}")
    row("unanswered imports that wrote some rows but not all",
        lambda r: str(sum(1 for c in r["cycles"] for p in c["problems"]
                          if p.startswith("unacknowledged import"))))
    row("other failed checks (books, ledger, database)", lambda r: str(r["totals"]["problems"]))
    row("restart to /readyz after the kill, min / median / max",
        lambda r: "{min} / {median} / {max} ms".format(**r["totals"]["ready_after_kill_ms"]))
    row("database check (last cycle)",
        lambda r: (r["cycles"][-1]["db"] if r["cycles"] else "—").replace("|", "/"))
    row("database check after the last clean stop", lambda r: (r.get("final_db") or "—").replace("|", "/"))
    row("run broke off", lambda r: r["aborted"] or "no")
    print()
    for r in runs:
        print(f"Per cycle, {r['engine']} (seed {r['seed']}):")
        print()
        print("| cycle | writes | acked L/P/B/Pay/I | unanswered L/B/Pay/I | lost | ready after kill | result |")
        print("|---|---|---|---|---|---|---|")
        for c in r["cycles"]:
            a = c["acked"]
            u = c["in_flight_at_kill"]
            lost = sum(c["lost"].values())
            ok = "ok" if not lost and not c["problems"] else "FAIL"
            print(f"| {c['cycle']} | {c['write_s']} s | {a['listings']}/{a['published']}/"
                  f"{a['bookings']}/{a['payments']}/{a['imports']} | {u['listings']}/"
                  f"{u['bookings']}/{u['payments']}/{u['imports']} | {lost} | "
                  f"{c['ready_after_kill_ms']} ms | {ok} |")
        print()
        details = [(c["cycle"], k, x) for c in r["cycles"] for k, v in c.get("lost_detail", {}).items()
                   for x in v] + [(c["cycle"], "problem", p) for c in r["cycles"] for p in c["problems"]]
        for cyc, k, x in details[:40]:
            print(f"- cycle {cyc}, {k}: {x}")
        for f in r.get("failures", []):
            print(f"- {f}")
        if r.get("refusals"):
            print("Refused writes (expected: slots already held, voucher spent): " +
                  ", ".join(f"{k}: {v}" for k, v in sorted(r["refusals"].items())))
            print()


if __name__ == "__main__":
    main(sys.argv[1:])
