#!/usr/bin/env python3
"""Independent reference implementation of SPEC.md section 5 (the computation).

Written from /work/shared/SPEC.md only, without reading pkg/settle, so that a
cross-check against `llamashare settle -o json` finds disagreements instead of
copying them. Standard library only.

Input is a *case*: a JSON-able dict (see gen.py) holding the agreement as data,
the logical rows (already parsed: date or period label, host id, product id,
currency, amounts as decimal strings, units), the files they were split into,
the requested periods (-p values), the --host filter and the fx rates.

    python3 oracle.py case.json        # prints the oracle's settlement JSON

Choices where SPEC.md is ambiguous are collected in OPTIONS below (and listed
in README.md); each is the reading the program was observed to take.
"""
import datetime as dt
import decimal
import fnmatch
import json
import sys
from decimal import Decimal as D

CTX = decimal.Context(prec=200, rounding=decimal.ROUND_HALF_EVEN,
                      Emax=999999, Emin=-999999)
decimal.setcontext(CTX)

MODES = {
    "half-up": decimal.ROUND_HALF_UP,      # half away from zero
    "half-even": decimal.ROUND_HALF_EVEN,
    "down": decimal.ROUND_DOWN,            # toward zero
    "up": decimal.ROUND_UP,                # away from zero
}
MINOR = {"USD": 2, "EUR": 2, "GBP": 2, "JPY": 0, "BHD": 3, "KWD": 3, "CHF": 2}
AMOUNTS = ("gross", "refunds", "taxes", "fees", "credits")

# Readings of the points SPEC.md leaves open (see README.md). Each value is the
# program's observed choice; flip one to test the other reading.
OPTIONS = {
    # graduated: a band whose portion of [C, C+B] is zero gets no line
    "zero_portion_lines": False,
    # graduated, B == 0 (scope present): one zero line ("none" = no line,
    # "first" = band 1, "c" = the band holding C, up_to >= C; "next" = the band
    # the next positive amount would fall in, up_to > C: the program)
    "graduated_zero_B": "next",
    # units on a scope: rule tier line: the sum of the rule's products' units
    # ("sum") or "0"
    "rule_line_units": "sum",
    # units on graduated band lines: the scope's units on every band line
    # ("all") or on the first line only ("first")
    "band_line_units": "all",
    # carried_out passes over a gap between versions to the next version
    "carry_over_gap": True,
    # hosts with no terms covering a requested period get no settlement for it
    # default requested periods: from the rows of every host, --host or not
    # (the program since 0e09d82; before it, from the selected hosts only)
    "default_periods_selected": False,
    # money not at the scale (an agreement amount with more decimals, e.g. a
    # minimum of 5281.35 at scale 1) is printed rounded with the agreement's
    # mode ("mode"), half-even ("even") or half-up whatever the mode
    # ("half-up", the program); the program keeps such values unrounded inside
    "format_rounding": "half-up",
}


def q20(x):
    """A division result carried to 20 places, half-even (SPEC 5)."""
    return x.quantize(D(1).scaleb(-20), rounding=decimal.ROUND_HALF_EVEN)


def div(a, b):
    return q20(D(a) / D(b))


class Rounder:
    def __init__(self, mode, scale):
        self.mode = MODES[mode]
        self.scale = scale
        self.exp = D(1).scaleb(-scale)
        self.fmt_mode = self.mode

    def __call__(self, x):
        r = D(x).quantize(self.exp, rounding=self.mode)
        if r == 0:
            r = abs(r)  # no negative zero
        return r

    def fmt(self, x):
        # values computed by SPEC 5 are at scale, except those carrying an
        # agreement amount that has more decimals than the scale
        r = D(x).quantize(self.exp, rounding=self.fmt_mode)
        if r == 0:
            r = abs(r)
        return "{:f}".format(r)


def plain(d):
    """A decimal without trailing zeros, no exponent ("1.5", "100", "0")."""
    d = D(d)
    if d == 0:
        return "0"
    s = "{:f}".format(d.normalize())
    return s


# ---------------------------------------------------------------- periods

class Period:
    __slots__ = ("kind", "year", "n")

    def __init__(self, kind, year, n):
        self.kind, self.year, self.n = kind, year, n

    def key(self):
        return (self.year, self.n)

    def __eq__(self, o):
        return self.kind == o.kind and self.key() == o.key()

    def __lt__(self, o):
        return self.key() < o.key()

    def __le__(self, o):
        return self.key() <= o.key()

    def __hash__(self):
        return hash((self.kind, self.year, self.n))

    def __repr__(self):
        return self.label()

    def per_year(self):
        return {"month": 12, "quarter": 4, "year": 1}[self.kind]

    def label(self):
        if self.kind == "month":
            return "%04d-%02d" % (self.year, self.n)
        if self.kind == "quarter":
            return "%04d-Q%d" % (self.year, self.n)
        return "%04d" % self.year

    def first_month(self):
        if self.kind == "month":
            return self.n
        if self.kind == "quarter":
            return 3 * (self.n - 1) + 1
        return 1

    def months(self):
        return {"month": 1, "quarter": 3, "year": 12}[self.kind]

    def start(self):
        return dt.date(self.year, self.first_month(), 1)

    def end(self):
        m = self.first_month() + self.months()
        y = self.year
        if m > 12:
            m -= 12
            y += 1
        return dt.date(y, m, 1) - dt.timedelta(days=1)

    def next(self):
        n, y = self.n + 1, self.year
        if n > self.per_year():
            n, y = 1, y + 1
        return Period(self.kind, y, n)


def period_of(kind, date):
    if kind == "month":
        return Period(kind, date.year, date.month)
    if kind == "quarter":
        return Period(kind, date.year, (date.month - 1) // 3 + 1)
    return Period(kind, date.year, 1)


def parse_label(label):
    """A period label -> (first day, last day)."""
    label = label.strip()
    if len(label) == 4:
        y = int(label)
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    y = int(label[:4])
    rest = label[5:]
    if rest[0] in "Qq":
        p = Period("quarter", y, int(rest[1:]))
    else:
        p = Period("month", y, int(rest))
    return p.start(), p.end()


def periods_between(kind, a, b):
    out = []
    p = a
    while p <= b:
        out.append(p)
        p = p.next()
    return out


def requested_from_spec(kind, specs):
    got = set()
    for s in specs:
        if ".." in s:
            a, b = s.split("..")
            lo = period_of(kind, parse_label(a)[0])
            hi = period_of(kind, parse_label(b)[1])
        else:
            s0, s1 = parse_label(s)
            lo, hi = period_of(kind, s0), period_of(kind, s1)
        for p in periods_between(kind, lo, hi):
            got.add(p)
    return sorted(got)


def to_date(s):
    return dt.date.fromisoformat(s) if isinstance(s, str) else s


# ---------------------------------------------------------------- fx

class FX:
    def __init__(self, fx):
        self.method = fx.get("method", "daily") if fx else None
        self.rates = {}
        for r in (fx or {}).get("rates", []):
            self.rates.setdefault(r["currency"].upper(), []).append(
                (to_date(r["date"]), D(r["rate"])))
        for v in self.rates.values():
            v.sort()

    def rate(self, cur, settle_cur, row_day, per):
        if cur == settle_cur:
            return D(1)
        rs = self.rates.get(cur)
        if not rs:
            raise ValueError("no rate for %s" % cur)
        if self.method == "daily":
            best = None
            for d, r in rs:
                if d <= row_day:
                    best = r  # later dates overwrite: latest on or before
            if best is None:
                raise ValueError("no daily rate for %s on %s" % (cur, row_day))
            return best
        if self.method == "period-end":
            best = None
            for d, r in rs:
                if d <= per.end():
                    best = r
            if best is None:
                raise ValueError("no period-end rate")
            return best
        if self.method == "period-average":
            inside = [r for d, r in rs if per.start() <= d <= per.end()]
            if not inside:
                raise ValueError("no rates inside %s" % per.label())
            return div(sum(inside, D(0)), len(inside))
        raise ValueError(self.method)


# ---------------------------------------------------------------- the engine

def glob_match(globs, product):
    for g in globs:
        if fnmatch.fnmatchcase(product.lower(), g.lower()):
            return True
    return False


def band_portions(bands, C, B):
    """[(band number, portion)] of [C, C+B] (or [C+B, C], negative) per band."""
    lo, hi, sign = (C, C + B, 1) if B >= 0 else (C + B, C, -1)
    out = []
    prev = None
    for k, (up_to, _rate) in enumerate(bands, start=1):
        blo = prev  # None = -infinity
        bhi = up_to  # None = +infinity
        a = lo if blo is None else max(lo, blo)
        b = hi if bhi is None else min(hi, bhi)
        portion = b - a if b > a else D(0)
        out.append((k, sign * portion))
        prev = up_to
    return out


def band_holding(bands, x, strict):
    """The band holding x: the first whose up_to is >= x (strict: > x)."""
    for k, (up_to, _r) in enumerate(bands, start=1):
        if up_to is None or (x < up_to if strict else x <= up_to):
            return k
    return len(bands)


def settle(case, options=None):
    opt = dict(OPTIONS)
    opt.update(options or {})
    ag = case["agreement"]
    kind = ag["period"]
    cur = ag["currency"]
    rnd = Rounder(ag.get("rounding", {}).get("mode", "half-up"),
                  ag.get("rounding", {}).get("scale", MINOR.get(cur, 2)))
    if opt["format_rounding"] != "mode":
        rnd.fmt_mode = MODES[{"even": "half-even"}.get(opt["format_rounding"],
                                                     opt["format_rounding"])]
    fx = FX(case.get("fx"))
    hosts = ag["hosts"]

    # rows -> (host, period)
    rows = []
    for i, r in enumerate(case["rows"]):
        if r.get("date"):
            day = to_date(r["date"])
        else:
            day = parse_label(r["period"])[1]
        per = period_of(kind, day)
        rows.append(dict(r, _day=day, _per=per, _i=i))

    selected = set(case.get("hosts_filter") or hosts.keys())
    if case.get("periods"):
        requested = requested_from_spec(kind, case["periods"])
    else:
        ps = sorted({r["_per"] for r in rows
                     if r["host"] in selected or not opt["default_periods_selected"]})
        requested = periods_between(kind, ps[0], ps[-1]) if ps else []
    last = requested[-1] if requested else None
    req_set = set(requested)

    # reconciliation per input file
    inputs = []
    for fi, idxs in enumerate(case["files"]):
        n_out = sum(1 for i in idxs
                    if rows[i]["host"] not in selected or last is None
                    or last < rows[i]["_per"])
        fmts = case.get("file_formats") or []
        inputs.append({"format": fmts[fi] if fi < len(fmts) else "canonical",
                       "rows": len(idxs), "settled": len(idxs) - n_out,
                       "outside": n_out, "rejected": 0})

    by_hp = {}
    for r in rows:
        if r["host"] in selected and last is not None and r["_per"] <= last:
            by_hp.setdefault((r["host"], r["_per"]), []).append(r)

    settlements = []
    for hid in sorted(hosts):
        if hid not in selected:
            continue
        h = hosts[hid]
        versions = sorted(h["terms"], key=lambda v: to_date(v["from"]))
        carried = D(0)
        prev_end = None
        for v in versions:
            vfrom = period_of(kind, to_date(v["from"]))
            vto = period_of(kind, to_date(v["to"])) if v.get("to") else None
            if last is None or last < vfrom:
                continue
            end = last if vto is None or last < vto else vto
            if not opt["carry_over_gap"] and prev_end is not None and \
                    prev_end.next() != vfrom:
                carried = D(0)  # the other reading: a gap drops the carry
            state = VersionState(v, vfrom, vto)
            for p in periods_between(kind, vfrom, end):
                s = settle_period(h, hid, v, state, p, by_hp.get((hid, p), []),
                                  rnd, fx, cur, carried, opt)
                carried = s["_carried_out"]
                if p in req_set:
                    settlements.append(s)
            prev_end = end

    totals = {k: sum((s["_" + k] for s in settlements), D(0))
              for k in ("gross", "basis", "share", "payable")}
    out = {
        "currency": cur,
        "periods": [p.label() for p in requested],
        "inputs": inputs,
        "settlements": [public(s, rnd) for s in settlements],
        "totals": {k: rnd.fmt(v) for k, v in totals.items()},
    }
    return out


class VersionState:
    def __init__(self, v, vfrom, vto):
        self.vfrom, self.vto = vfrom, vto
        self.tier_hist = {}   # (rule index, scope key) -> [(period, basis)]
        self.shares = []      # [(period, share)]
        self.share_topup = []  # [(period, share + topup)]
        self.reductions = []  # [(period, cap_reduction)]
        adv = v.get("advance")
        self.advance = D(adv["amount"]) if adv else D(0)


def in_window(window, p, q):
    """Is earlier period q in the same tier/cap window as p (same version)?"""
    if window == "period":
        return q == p
    if window == "year":
        return q.year == p.year
    return True  # lifetime: since the version's from


def settle_period(h, hid, v, st, p, prows, rnd, fx, cur, carried_in, opt):
    # 1-2: convert, sum per product, round each sum
    prods = {}
    for r in prows:
        rate = fx.rate(r.get("currency") or cur, cur, r["_day"], p)
        a = prods.setdefault(r["product"], {k: D(0) for k in AMOUNTS + ("units",)})
        for k in AMOUNTS:
            a[k] += D(r.get(k) or 0) * rate
        a["units"] += D(r.get("units") or 0)
    for a in prods.values():
        for k in AMOUNTS:
            a[k] = rnd(a[k])
        # 3: basis
        a["basis"] = a["gross"] - sum((a[k] for k in v.get("deduct", [])), D(0))

    rules = v["rates"]
    by_rule = {}
    for prod in prods:
        for ri, rule in enumerate(rules):
            if glob_match(rule.get("products", ["*"]), prod):
                by_rule.setdefault(ri, []).append(prod)
                break
        else:
            raise ValueError("no rule for product %s" % prod)

    # 4: lines
    lines = []
    for ri, rule in enumerate(rules):
        if ri not in by_rule:
            continue
        plist = sorted(by_rule[ri])
        name = rule.get("name") or "rule %d" % (ri + 1)
        dm = D(rule["de_minimis"]) if rule.get("de_minimis") is not None else None
        if "rate" in rule:
            rate = D(rule["rate"]) / 100
            for prod in plist:
                a = prods[prod]
                sh = rnd(a["basis"] * rate)
                if dm is not None and a["basis"] < dm:
                    sh = D(0)
                lines.append(line(name, prod, None, a["basis"], a["units"],
                                  rule["rate"], None, sh))
        elif "per_unit" in rule:
            pu = rule["per_unit"]
            for prod in plist:
                a = prods[prod]
                sh = rnd(div(a["units"] * D(pu["price"]), D(pu.get("per", 1))))
                if dm is not None and a["basis"] < dm:
                    sh = D(0)
                lines.append(line(name, prod, None, a["basis"], a["units"],
                                  None, pu["price"], sh))
        else:
            t = rule["tiers"]
            mode = t.get("mode", "graduated")
            window = t.get("window", "period")
            scope = t.get("scope", "rule")
            bands = [(D(b["up_to"]) if b.get("up_to") is not None else None,
                      b["rate"]) for b in t["bands"]]
            if scope == "rule":
                scopes = [("*", plist)]
            else:
                scopes = [(prod, [prod]) for prod in plist]
            for skey, sprods in scopes:
                B = sum((prods[x]["basis"] for x in sprods), D(0))
                U = sum((prods[x]["units"] for x in sprods), D(0))
                hist = st.tier_hist.setdefault((ri, skey), [])
                C = sum((b for q, b in hist if in_window(window, p, q)), D(0))
                hist.append((p, B))
                zero = dm is not None and B < dm
                if mode == "volume":
                    k = len(bands)
                    for i, (up, _r) in enumerate(bands, start=1):
                        if up is not None and B <= up:
                            k = i
                            break
                    r = bands[k - 1][1]
                    sh = D(0) if zero else rnd(B * D(r) / 100)
                    lines.append(line(name, skey, k, B, U, r, None, sh))
                    continue
                portions = band_portions(bands, C, B)
                if B == 0 and not opt["zero_portion_lines"]:
                    zb = opt["graduated_zero_B"]
                    if zb == "none":
                        portions = []
                    elif zb == "first":
                        portions = [(1, D(0))]
                    else:
                        portions = [(band_holding(bands, C, zb == "next"), D(0))]
                    emit = portions
                elif opt["zero_portion_lines"]:
                    emit = portions
                else:
                    emit = [(k, x) for k, x in portions if x != 0]
                for j, (k, portion) in enumerate(emit):
                    r = bands[k - 1][1]
                    sh = D(0) if zero else rnd(portion * D(r) / 100)
                    u = U
                    if (scope == "rule" and opt["rule_line_units"] == "0") or \
                            (j > 0 and opt["band_line_units"] == "first"):
                        u = D(0)
                    lines.append(line(name, skey, k, portion, u, r, None, sh))

    gross = {k: sum((a[k] for a in prods.values()), D(0)) for k in AMOUNTS}
    basis = sum((a["basis"] for a in prods.values()), D(0))
    # 5
    share = sum((l["share"] for l in lines), D(0))
    st.shares.append((p, share))
    # 6
    topup = D(0)
    mn = v.get("minimum")
    if mn:
        amt = D(mn["amount"])
        if mn.get("per", "period") == "period":
            topup = max(D(0), amt - share)
        else:
            dec = Period(p.kind, p.year, p.per_year())
            last_in_year = dec if st.vto is None or dec < st.vto else st.vto
            if p == last_in_year:
                first_in_year = Period(p.kind, p.year, 1)
                if first_in_year < st.vfrom:
                    first_in_year = st.vfrom
                n = len(periods_between(p.kind, first_in_year, last_in_year))
                required = rnd(div(amt * n, p.per_year()))
                year_shares = sum((s for q, s in st.shares if q.year == p.year), D(0))
                topup = max(D(0), required - year_shares)
    st.share_topup.append((p, share + topup))
    # 7
    red = D(0)
    cap = v.get("cap")
    if cap:
        w = cap.get("per", "period")
        tot = sum((x for q, x in st.share_topup if in_window(w, p, q)), D(0))
        earlier = sum((x for q, x in st.reductions if in_window(w, p, q)), D(0))
        red = max(D(0), tot - D(cap["amount"]) - earlier)
    st.reductions.append((p, red))
    # 8
    due = share + topup - red
    # 9
    rec = min(st.advance, max(D(0), due))
    st.advance -= rec
    # 10
    owed = due - rec + carried_in
    pay = v.get("payout") or {}
    thr = D(pay.get("threshold", 0))
    if owed < thr:
        payable, cout = D(0), owed
    else:
        payable, cout = owed, D(0)
    # 11
    due_date = None
    if payable > 0:
        due_date = (p.end() + dt.timedelta(days=int(pay.get("due_days", 30)))).isoformat()

    return {
        "host": hid, "host_name": h.get("name") or hid, "period": p.label(),
        "period_start": p.start().isoformat(), "period_end": p.end().isoformat(),
        "currency": cur,
        "_gross": gross["gross"], "_refunds": gross["refunds"], "_taxes": gross["taxes"],
        "_fees": gross["fees"], "_credits": gross["credits"], "_basis": basis,
        "_share": share, "_minimum_topup": topup, "_cap_reduction": red,
        "_advance_recouped": rec, "_advance_remaining": st.advance,
        "_carried_in": carried_in, "_carried_out": cout, "_payable": payable,
        "due_date": due_date, "lines": lines,
    }


def line(rule, product, band, basis, units, rate, price, share):
    return {"rule": rule, "product": product, "band": band, "basis": basis,
            "units": units, "rate": rate, "price": price, "share": share}


MONEY = ("gross", "refunds", "taxes", "fees", "credits", "basis", "share",
         "minimum_topup", "cap_reduction", "advance_recouped",
         "advance_remaining", "carried_in", "carried_out", "payable")


def public(s, rnd):
    out = {k: s[k] for k in ("host", "host_name", "period", "period_start",
                             "period_end", "currency")}
    for k in MONEY:
        out[k] = rnd.fmt(s["_" + k])
    out["due_date"] = s["due_date"]
    out["lines"] = [{
        "rule": l["rule"], "product": l["product"], "band": l["band"],
        "basis": rnd.fmt(l["basis"]), "units": plain(l["units"]),
        "rate": None if l["rate"] is None else plain(D(l["rate"])) + "%",
        "price": None if l["price"] is None else plain(D(l["price"])),
        "share": rnd.fmt(l["share"]),
    } for l in s["lines"]]
    return out


def main(argv):
    with open(argv[1]) as f:
        case = json.load(f)
    json.dump(settle(case), sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
