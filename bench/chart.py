#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Aggregate the transport benchmark's raw runs (bench/run-bench.sh) into
transport.json, transport.csv, transport.md (Markdown tables, also printed) and
transport.svg (the chart). Standard library only.

    chart.py --in transport.jsonl --env env.txt --out DIR
"""
import argparse
import csv
import json
import math
import os
import statistics
from collections import OrderedDict, defaultdict

CLIENTS = ["ssh2core", "libssh2", "openssh"]
LABEL = {"ssh2core": "ssh2core", "libssh2": "libssh2 1.10", "openssh": "OpenSSH ssh"}
COLOR = {"ssh2core": "#1b7837", "libssh2": "#9970ab", "openssh": "#2166ac"}
GIB = float(1 << 30)
SHORT = {
    "chacha20-poly1305@openssh.com": "chacha20-poly1305",
    "aes128-gcm@openssh.com": "aes128-gcm",
    "aes256-gcm@openssh.com": "aes256-gcm",
    "aes128-ctr:hmac-sha2-256": "aes128-ctr+hmac-sha2-256",
    "aes128-ctr:hmac-sha2-256-etm@openssh.com": "aes128-ctr+hmac-sha2-256-etm",
}


def short(spec):
    return SHORT.get(spec, spec.replace(":", "+"))


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                rows.append(json.loads(line))
    return rows


def load_env(path):
    env = OrderedDict()
    if path and os.path.exists(path):
        with open(path) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    env[k] = v
    return env


def aggregate(rows):
    """bulk[(dir, spec)][client] = stats; lat[mode][client]; mem[client]."""
    samples = defaultdict(lambda: defaultdict(list))
    state = defaultdict(dict)
    lat = defaultdict(dict)
    mem = {}
    for r in rows:
        mode = r.get("mode", "")
        client = r.get("client", "")
        base = mode[4:] if mode.startswith("ssh-") else mode
        if r.get("unsupported") or r.get("error"):
            state[(base, r.get("spec", ""))][client] = "n/a" if r.get("unsupported") else "error"
            if base in ("connect", "exec"):
                lat[base].setdefault(client, None)
            continue
        if base in ("download", "upload"):
            samples[(base, r["spec"])][client].append(r)
        elif base in ("connect", "exec"):
            lat[base][client] = r
        elif base == "sessions":
            mem[client] = r
    bulk = OrderedDict()
    for key in sorted(samples, key=lambda k: (k[0] != "download", list(SHORT).index(k[1])
                                              if k[1] in SHORT else 99, k[1])):
        bulk[key] = {}
        for client, rs in samples[key].items():
            mbs = [r["bytes"] / r["seconds"] / 1e6 for r in rs]
            xfer = [r["bytes"] / r["xfer_seconds"] / 1e6 for r in rs if r.get("xfer_seconds")]
            ccpu = [(r["cpu_user"] + r["cpu_sys"]) / (r["bytes"] / GIB) for r in rs]
            scpu = [r["server_cpu"] / (r["bytes"] / GIB) for r in rs if r["server_cpu"] >= 0]
            bulk[key][client] = {
                "n": len(rs),
                "mbs_median": statistics.median(mbs),
                "mbs_best": max(mbs),
                "mbs_xfer_median": statistics.median(xfer) if xfer else None,
                "client_cpu_per_gib": statistics.median(ccpu),
                "server_cpu_per_gib": statistics.median(scpu) if scpu else None,
                "negotiated": "%s %s %s" % (rs[0].get("neg_kex", ""), rs[0].get("neg_cipher", ""),
                                            rs[0].get("neg_mac", "")),
                "version": rs[0].get("version", ""),
            }
        for client, st in state[key].items():
            bulk[key].setdefault(client, st)
    for key, st in state.items():
        if key[0] in ("download", "upload") and key not in bulk:
            bulk[key] = dict(st)
    return bulk, lat, mem


def fmt(v, nd=0):
    if v is None:
        return "–"
    if isinstance(v, str):
        return v
    return ("%." + str(nd) + "f") % v


def ratio(a, b):
    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)) or not b:
        return None
    return a / b


def stat(d, client, field):
    v = d.get(client)
    if isinstance(v, dict):
        return v.get(field)
    return v


def bulk_tables(out, bulk, reps):
    out.append("Throughput, MB/s (10^6 bytes/s, connect to disconnect), median and best of %s; "
               "ratios are of medians." % reps)
    out.append("")
    out.append("| direction | cipher | ssh2core | libssh2 1.10 | OpenSSH | ssh2core / libssh2 "
               "| ssh2core / OpenSSH |")
    out.append("|---|---|---|---|---|---|---|")
    for (d, spec), cl in bulk.items():
        cells = []
        for c in CLIENTS:
            v = cl.get(c)
            if isinstance(v, dict):
                cells.append("%s (%s)" % (fmt(v["mbs_median"]), fmt(v["mbs_best"])))
            else:
                cells.append(fmt(v))
        r1 = ratio(stat(cl, "ssh2core", "mbs_median"), stat(cl, "libssh2", "mbs_median"))
        r2 = ratio(stat(cl, "ssh2core", "mbs_median"), stat(cl, "openssh", "mbs_median"))
        out.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            d, short(spec), cells[0], cells[1], cells[2],
            fmt(r1, 2) + ("×" if r1 else ""), fmt(r2, 2) + ("×" if r2 else "")))
    out.append("")
    out.append("CPU seconds per GiB moved (median): client process (for ssh: the ssh child), "
               "and server (sshd connection processes and the remote cat).")
    out.append("")
    out.append("| direction | cipher | client: ssh2core | libssh2 1.10 | OpenSSH | ssh2core / "
               "OpenSSH | server: with ssh2core | with libssh2 | with OpenSSH |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    for (d, spec), cl in bulk.items():
        cc = [fmt(stat(cl, c, "client_cpu_per_gib") if isinstance(cl.get(c), dict) else cl.get(c),
                  2) for c in CLIENTS]
        sc = [fmt(stat(cl, c, "server_cpu_per_gib") if isinstance(cl.get(c), dict) else cl.get(c),
                  2) for c in CLIENTS]
        r = ratio(stat(cl, "ssh2core", "client_cpu_per_gib"),
                  stat(cl, "openssh", "client_cpu_per_gib"))
        out.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            d, short(spec), cc[0], cc[1], cc[2], fmt(r, 2) + ("×" if r else ""),
            sc[0], sc[1], sc[2]))
    out.append("")


def tables(bulk, lat, mem, env):
    out = []
    reps = env.get("reps", "?")
    if bulk:
        bulk_tables(out, bulk, reps)
    if lat:
        out.append("Latency, ms (median; best and 90th percentile in brackets).")
        out.append("")
        out.append("| workload | ssh2core | libssh2 1.10 | OpenSSH | ssh2core / libssh2 "
                   "| ssh2core / OpenSSH |")
        out.append("|---|---|---|---|---|---|")
        names = {"connect": "connect + auth + exec true + close (n=%s)" % env.get("connects", "?"),
                 "exec": "exec true on an open session (n=%s)" % env.get("execs", "?")}
        for mode in ("connect", "exec"):
            if mode not in lat:
                continue
            cells = []
            for c in CLIENTS:
                v = lat[mode].get(c)
                if isinstance(v, dict):
                    cells.append("%.2f (%.2f, %.2f)" % (v["median_ms"], v["best_ms"], v["p90_ms"]))
                else:
                    cells.append("–")
            med = {c: (lat[mode][c]["median_ms"] if isinstance(lat[mode].get(c), dict) else None)
                   for c in CLIENTS}
            r1 = ratio(med["ssh2core"], med["libssh2"])
            r2 = ratio(med["ssh2core"], med["openssh"])
            out.append("| %s | %s | %s | %s | %s | %s |" % (
                names[mode], cells[0], cells[1], cells[2],
                fmt(r1, 2) + ("×" if r1 else ""), fmt(r2, 2) + ("×" if r2 else "")))
        out.append("")
        kex = []
        for c in CLIENTS:
            v = lat.get("connect", {}).get(c)
            name = v.get("neg_kex") if isinstance(v, dict) else None
            if not name:
                name = next((b[c].get("negotiated", "").split(" ")[0] for b in bulk.values()
                             if isinstance(b.get(c), dict) and b[c].get("negotiated", "").strip()),
                            None)
            if name:
                kex.append("%s %s" % (LABEL[c], name))
        if kex:
            forced = env.get("kex", "default")
            out.append("Key exchange negotiated (%s): " % (
                "forced for every client" if forced != "default" else "each client's default")
                + ", ".join(kex) + (
                "; OpenSSH `ssh` forced the same." if forced != "default" else
                " (OpenSSH's `ssh` does not report it here; 9.2 prefers "
                "sntrup761x25519-sha512@openssh.com)."))
            out.append("")
        out.append("OpenSSH's exec figure is `ssh -S ctl host true` through a ControlMaster "
                   "connection, so it includes starting the ssh mux client process.")
        out.append("")
    if mem:
        out.append("Memory per idle authenticated session (%s sessions in one process)."
                   % env.get("sessions", "?"))
        out.append("")
        out.append("| client | heap via allocator hook | of which blocks ≥ 16 KiB "
                   "| malloc heap (mallinfo2) | RSS growth |")
        out.append("|---|---|---|---|---|")
        for c in CLIENTS:
            v = mem.get(c)
            if not isinstance(v, dict):
                continue
            out.append("| %s | %.1f KiB | %.1f KiB | %.1f KiB | %.1f KiB |" % (
                LABEL[c], v["heap_hook_per_session"] / 1024,
                v.get("heap_hook_big_per_session", 0) / 1024,
                v["heap_malloc_per_session"] / 1024, v["rss_per_session"] / 1024))
        out.append("")
    return "\n".join(out)


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def tick(v):
    if v == int(v):
        return "%d" % v
    return "%.1f" % v if v >= 1 else "%.2g" % v


def nice_max(v):
    """Smallest 1, 1.2, 1.6, 2, 3, 4, 6 or 8 x 10^k >= v (round grid steps)."""
    if v <= 0:
        return 1.0
    k = 10.0 ** math.floor(math.log10(v))
    for m in (1, 1.2, 1.6, 2, 3, 4, 6, 8, 10):
        if m * k >= v * 1.02:
            return m * k
    return 10 * k


def svg(bulk, lat, env):
    """Two panels: median MB/s per (direction, cipher) with a best-of tick, and
    client CPU s/GiB; one bar per client."""
    keys = list(bulk.keys())
    group_w, bar_w, left, top = 112, 30, 70, 50
    width = max(720, left + group_w * max(1, len(keys)) + 30)
    panel_h = 230
    height = top + 2 * (panel_h + 90) + 20
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
             'font-family="sans-serif" font-size="11">' % (width, height),
             '<rect width="100%" height="100%" fill="white"/>',
             '<text x="%d" y="20" font-size="14" font-weight="bold">ssh2core transport benchmark'
             ' (%s, %s cores, %s, load average at start %s)</text>'
             % (left, esc(env.get("cpu", "?")), esc(env.get("cores", "?")),
                esc(env.get("date", "")), esc(env.get("loadavg", "?").split(" ")[0]))]
    lx = left
    for c in CLIENTS:
        parts.append('<rect x="%d" y="30" width="12" height="12" fill="%s"/>' % (lx, COLOR[c]))
        parts.append('<text x="%d" y="40">%s</text>' % (lx + 16, esc(LABEL[c])))
        lx += 130
    panels = [("MB/s, median of %s (tick: best); higher is better" % env.get("reps", "?"),
               "mbs_median", "mbs_best"),
              ("client CPU s per GiB, median; lower is better", "client_cpu_per_gib", None)]
    for pi, (title, field, best) in enumerate(panels):
        y0 = top + pi * (panel_h + 90) + 20
        vals = [stat(bulk[k], c, field) for k in keys for c in CLIENTS]
        if best:
            vals += [stat(bulk[k], c, best) for k in keys for c in CLIENTS]
        vals = [v for v in vals if isinstance(v, (int, float))]
        vmax = nice_max(max(vals) if vals else 1.0)
        parts.append('<text x="%d" y="%d" font-weight="bold">%s</text>' % (left, y0 - 4,
                                                                             esc(title)))
        base = y0 + panel_h
        for i in range(5):
            v = vmax * i / 4
            y = base - panel_h * i / 4
            parts.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>'
                         % (left, y, width - 20, y))
            parts.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>'
                         % (left - 4, y + 4, tick(v)))
        for gi, k in enumerate(keys):
            gx = left + gi * group_w + 8
            for ci, c in enumerate(CLIENTS):
                x = gx + ci * bar_w
                v = stat(bulk[k], c, field)
                if isinstance(v, (int, float)):
                    h = panel_h * v / vmax
                    parts.append('<rect x="%d" y="%.1f" width="%d" height="%.1f" fill="%s">'
                                 '<title>%s %s %s: %.2f</title></rect>'
                                 % (x, base - h, bar_w - 3, h, COLOR[c], esc(LABEL[c]), k[0],
                                    esc(short(k[1])), v))
                    b = stat(bulk[k], c, best) if best else None
                    if isinstance(b, (int, float)):
                        yb = base - panel_h * b / vmax
                        parts.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="black"/>'
                                     % (x, yb, x + bar_w - 3, yb))
                else:
                    parts.append('<text x="%d" y="%d" font-size="9" fill="#888">n/a</text>'
                                 % (x + 2, base - 3))
            lab = short(k[1]).replace("aes128-ctr+hmac-sha2-256", "aes128-ctr+sha256")
            parts.append('<text x="%d" y="%d" text-anchor="middle">%s</text>'
                         % (gx + 1.5 * bar_w, base + 14, k[0]))
            parts.append('<text x="%d" y="%d" text-anchor="middle" font-size="9">%s</text>'
                         % (gx + 1.5 * bar_w, base + 27, esc(lab)))
        parts.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>'
                     % (left, base, width - 20, base))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def write_csv(path, bulk, lat, mem):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["workload", "cipher", "client", "n", "mbs_median", "mbs_best",
                    "mbs_xfer_median", "client_cpu_s_per_gib", "server_cpu_s_per_gib",
                    "median_ms", "best_ms", "p90_ms", "heap_hook_bytes", "heap_malloc_bytes",
                    "rss_bytes", "note"])
        for (d, spec), cl in bulk.items():
            for c in CLIENTS:
                v = cl.get(c)
                if isinstance(v, dict):
                    w.writerow([d, spec, c, v["n"], "%.1f" % v["mbs_median"],
                                "%.1f" % v["mbs_best"],
                                "" if v["mbs_xfer_median"] is None else
                                "%.1f" % v["mbs_xfer_median"],
                                "%.3f" % v["client_cpu_per_gib"],
                                "" if v["server_cpu_per_gib"] is None else
                                "%.3f" % v["server_cpu_per_gib"],
                                "", "", "", "", "", "", v["negotiated"]])
                elif v is not None:
                    w.writerow([d, spec, c] + [""] * 12 + [v])
        for mode, cl in lat.items():
            for c in CLIENTS:
                v = cl.get(c)
                if isinstance(v, dict):
                    w.writerow([mode, "default", c, v["count"]] + [""] * 5 +
                               ["%.3f" % v["median_ms"], "%.3f" % v["best_ms"],
                                "%.3f" % v["p90_ms"], "", "", "", ""])
        for c, v in mem.items():
            w.writerow(["sessions", "default", c, v["count"]] + [""] * 8 +
                       ["%.0f" % v["heap_hook_per_session"],
                        "%.0f" % v["heap_malloc_per_session"],
                        "%.0f" % v["rss_per_session"], ""])


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--in", dest="inp", required=True)
    ap.add_argument("--env", default=None)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rows = load(a.inp)
    env = load_env(a.env)
    bulk, lat, mem = aggregate(rows)
    os.makedirs(a.out, exist_ok=True)
    md = tables(bulk, lat, mem, env)
    with open(os.path.join(a.out, "transport.md"), "w") as f:
        f.write(md + "\n")
    with open(os.path.join(a.out, "transport.json"), "w") as f:
        json.dump({"env": env,
                   "bulk": [{"direction": k[0], "cipher": k[1], "clients": v}
                            for k, v in bulk.items()],
                   "latency": lat, "memory": mem}, f, indent=1)
        f.write("\n")
    write_csv(os.path.join(a.out, "transport.csv"), bulk, lat, mem)
    if bulk:
        with open(os.path.join(a.out, "transport.svg"), "w") as f:
            f.write(svg(bulk, lat, env))
    print(md)


if __name__ == "__main__":
    main()
