#!/usr/bin/env python3
"""Cross-check `llamashare settle -o json` against oracle.py on random cases.

    python3 testdata/oracle/crosscheck.py --bin bin/llamashare --seeds 500
    python3 testdata/oracle/crosscheck.py --bin bin/llamashare --seed 1234 --keep /tmp/case

For every seed: gen.py makes a case, it is written to a temporary folder
(agreement.yaml, revenue-N.csv, fx-rates.csv, case.json), the program settles
it, and every settlement field, every line and the totals are compared with
the oracle. A mismatch prints the seed, the command and a minimal diff; the
exit status is 1 if any seed disagreed.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal as D

sys.dont_write_bytecode = True  # no __pycache__ in the work tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402
import oracle  # noqa: E402


def write_case(case, d):
    with open(os.path.join(d, "agreement.yaml"), "w") as f:
        f.write(case["yaml"])
    names = []
    for i, t in enumerate(case["csv"]):
        n = "revenue-%d.csv" % (i + 1)
        with open(os.path.join(d, n), "w", encoding="utf-8", newline="") as f:
            f.write(t)
        names.append(n)
    if case.get("fx_csv"):
        with open(os.path.join(d, "fx-rates.csv"), "w") as f:
            f.write(case["fx_csv"])
    data = gen.jsonable({k: v for k, v in case.items() if k not in ("yaml", "csv", "fx_csv")})
    with open(os.path.join(d, "case.json"), "w") as f:
        json.dump(data, f, indent=1)
    return names, data


def command(binary, case, names):
    cmd = [binary, "settle", "-a", "agreement.yaml", "-o", "json"]
    for p in case.get("periods") or []:
        cmd += ["-p", p]
    for h in case.get("hosts_filter") or []:
        cmd += ["--host", h]
    return cmd + names


def same_number(a, b):
    try:
        return D(a) == D(b)
    except Exception:
        return a == b


def compare(got, want, diffs, ignore_format=False, files=None):
    import hashlib
    for i, (g, name) in enumerate(zip(got.get("inputs", []), files or [])):
        with open(name, "rb") as f:
            h = hashlib.sha256(f.read()).hexdigest()
        if g.get("sha256") != h:
            diffs.append(("inputs[%d].sha256" % i, g.get("sha256"), h))
    if files and len(got.get("inputs", [])) != len(files):
        diffs.append(("inputs", len(got.get("inputs", [])), len(files)))
    if got.get("periods") != want["periods"]:
        diffs.append(("periods", got.get("periods"), want["periods"]))
    for i, (g, w) in enumerate(zip(got.get("inputs", []), want["inputs"])):
        for k in ("format", "rows", "settled", "outside", "rejected"):
            if g.get(k) != w[k]:
                diffs.append(("inputs[%d].%s" % (i, k), g.get(k), w[k]))
    gs = {(s["host"], s["period"]): s for s in got.get("settlements", [])}
    ws = {(s["host"], s["period"]): s for s in want["settlements"]}
    for key in sorted(set(gs) | set(ws)):
        if key not in gs:
            diffs.append(("settlement %s %s" % key, "(missing)", "present"))
            continue
        if key not in ws:
            diffs.append(("settlement %s %s" % key, "present", "(missing)"))
            continue
        g, w = gs[key], ws[key]
        where = "%s %s" % key
        for k, wv in w.items():
            if k == "lines":
                continue
            if g.get(k) != wv:
                diffs.append(("%s %s" % (where, k), g.get(k), wv))
        gl, wl = g.get("lines", []), w["lines"]
        if len(gl) != len(wl) or any(
                not line_equal(a, b, ignore_format) for a, b in zip(gl, wl)):
            diffs.append(("%s lines" % where, gl, wl))
    for s in got.get("settlements", []):
        n = lambda k: D(s[k])  # noqa: E731
        lhs = n("payable") + n("carried_out")
        rhs = (n("share") + n("minimum_topup") - n("cap_reduction")
               - n("advance_recouped") + n("carried_in"))
        if lhs != rhs:
            diffs.append(("%s %s invariant payable+carried_out" % (s["host"], s["period"]),
                          str(lhs), str(rhs) + " (share+topup-cap-recouped+carried_in)"))
        if sum((D(l["share"]) for l in s.get("lines", [])), D(0)) != n("share"):
            diffs.append(("%s %s invariant sum of line shares" % (s["host"], s["period"]),
                          s["share"], "lines"))
    order_got = [(s["host"], s["period"]) for s in got.get("settlements", [])]
    order_want = [(s["host"], s["period"]) for s in want["settlements"]]
    if sorted(order_got) == sorted(order_want) and order_got != order_want:
        diffs.append(("settlement order", order_got, order_want))
    if got.get("totals") != want["totals"]:
        diffs.append(("totals", got.get("totals"), want["totals"]))


def line_equal(a, b, ignore_format):
    for k, v in b.items():
        if k in ("units", "price", "rate") and ignore_format:
            if (a.get(k) is None) != (v is None):
                return False
            if v is not None and not same_number(a[k].rstrip("%"), v.rstrip("%")):
                return False
        elif a.get(k) != v:
            return False
    return True


def show(v):
    if isinstance(v, list) and v and isinstance(v[0], dict):
        return "\n" + "\n".join("      " + json.dumps(x) for x in v)
    return json.dumps(v)


BOTH_FAILED = []


def run_seed(binary, seed, keep=None, options=None, quiet=False):
    case = gen.gen_case(seed)
    d = keep or tempfile.mkdtemp(prefix="llamashare-xc-")
    os.makedirs(d, exist_ok=True)
    try:
        names, data = write_case(case, d)
        cmd = command(binary, case, names)
        try:
            want = oracle.settle(data, options)
            oerr = None
        except Exception as e:  # the oracle refuses the case (e.g. no fx rate)
            want, oerr = None, str(e)
        p = subprocess.run(cmd, cwd=d, capture_output=True, text=True)
        diffs = []
        if p.returncode != 0 and want is None:
            BOTH_FAILED.append(seed)
        if p.returncode != 0 or want is None:
            if not (p.returncode != 0 and want is None):
                diffs.append(("exit", "%d %s" % (p.returncode, p.stderr.strip()[:800]),
                              "oracle: %s" % (oerr or "settles")))
        else:
            compare(json.loads(p.stdout), want, diffs,
                    files=[os.path.join(d, n) for n in names])
        if diffs and not quiet:
            print("=== seed %d: %d difference(s)   (program | oracle)" % (seed, len(diffs)))
            print("    cd %s && %s" % (d, " ".join(cmd[:1] + [repr(c) if " " in c else c for c in cmd[1:]])))
            for k, g, w in diffs[:12]:
                print("  %s:\n    program: %s\n    oracle:  %s" % (k, show(g), show(w)))
        return diffs
    finally:
        if keep is None:
            shutil.rmtree(d, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default="bin/llamashare")
    ap.add_argument("--seeds", type=int, default=500, help="run seeds FROM..FROM+N-1")
    ap.add_argument("--from", dest="start", type=int, default=1)
    ap.add_argument("--seed", type=int, help="run one seed")
    ap.add_argument("--keep", help="with --seed: write the case to this folder and keep it")
    ap.add_argument("--option", action="append", default=[],
                    help="flip an oracle reading, NAME=VALUE (see oracle.OPTIONS)")
    ap.add_argument("--ledger-units", action="store_true",
                    help="map units in ledger-style formats too (gen.LEDGER_UNITS)")
    ap.add_argument("--offscale", action="store_true",
                    help="let agreement amounts have more decimals than the scale (gen.OFFSCALE)")
    ap.add_argument("--large", type=int, default=0,
                    help="about N rows per case (N/2..N), to cross the reader's blocks")
    ap.add_argument("--max-fail", type=int, default=0, help="stop after N failing seeds")
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    gen.LEDGER_UNITS = a.ledger_units
    gen.OFFSCALE = a.offscale
    gen.LARGE = a.large
    options = {}
    for o in a.option:
        k, _, v = o.partition("=")
        options[k] = {"true": True, "false": False}.get(v, v)
    seeds = [a.seed] if a.seed is not None else range(a.start, a.start + a.seeds)
    failed = 0
    for s in seeds:
        if run_seed(binary, s, a.keep if a.seed is not None else None, options):
            failed += 1
            if a.max_fail and failed >= a.max_fail:
                break
    print("%d seed(s), %d disagreed; %d refused by both (not compared)%s" % (
        len(seeds), failed, len(BOTH_FAILED),
        ": " + " ".join(map(str, BOTH_FAILED[:20])) if BOTH_FAILED else ""))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
