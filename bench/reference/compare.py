#!/usr/bin/env python3
"""Pairs the rows of genlab.json and pytorch.json (schema genlab-bench/1) by id and prints the
ratio GenLab / PyTorch of the median times: 1.00 is parity, above 1 GenLab is slower. Writes the
same table as Markdown (comparison.md) next to the inputs.

It also checks that both sides ran the same networks (the trainable parameter counts of every row
must be equal; a mismatch is marked MISMATCH and makes the exit status 4), shows how many cores each
side kept busy (process CPU time / wall time: with N threads, a side far below N did not use them;
GenLab's count includes the JVM's own JIT and GC threads, and its CPU clock ticks in 10 ms, so short
rows read coarsely), and warns when the reference ran on the reference (netlib) BLAS.

When DIR/parts/ holds the reports of several runs (run-vs-pytorch runs every row separately, the two
sides in turn), they are first merged into DIR/genlab.json and DIR/pytorch.json: the repeats of a
row from all runs of one side are pooled and the median is taken over the pool.

Usage: python3 compare.py DIR   (DIR holds genlab.json and pytorch.json, or parts/)
"""

import glob
import json
import os
import statistics
import sys

TARGET = 1.10


def load(path):
    with open(path) as f:
        r = json.load(f)
    if r.get("schema") != "genlab-bench/1":
        raise SystemExit("%s: not a genlab-bench/1 report" % path)
    return r


def merge(reports):
    """One report from several of the same side: rows by id, repeats pooled."""
    out = json.loads(json.dumps(reports[0]))
    rows, order = {}, []
    for r in reports:
        for row in r["rows"]:
            if row["id"] not in rows:
                rows[row["id"]] = json.loads(json.dumps(row))
                order.append(row["id"])
            else:
                m = rows[row["id"]]
                m["repeats_ms"] += row["repeats_ms"]
                m["peak_rss_mib"] = max(m["peak_rss_mib"], row["peak_rss_mib"])
                m["gpu_memory_mib"] = max(m["gpu_memory_mib"], row["gpu_memory_mib"])
                m["runs_per_repeat"] = max(m["runs_per_repeat"], row["runs_per_repeat"])
                m["cpu_repeats_ms"] += row["cpu_repeats_ms"]
    for m in rows.values():
        rep = m["repeats_ms"]
        m["cpu_median_ms"] = statistics.median(m["cpu_repeats_ms"])
        m["median_ms"] = statistics.median(rep)
        m["min_ms"], m["max_ms"] = min(rep), max(rep)
        m["images_per_s"] = m["batch"] / (m["median_ms"] / 1000)
    out["rows"] = [rows[i] for i in order]
    out["created"] = reports[-1]["created"]
    out["machine"]["loadavg_start"] = reports[0]["machine"]["loadavg_start"]
    out["machine"]["loadavg_end"] = reports[-1]["machine"]["loadavg_end"]
    out["peak_rss_mib"] = max(r["peak_rss_mib"] for r in reports)
    out["memory_stability"] = [m for r in reports for m in (r.get("memory_stability") or [])]
    out["merged_runs"] = len(reports)
    return out


def merge_parts(folder):
    for side in ("genlab", "pytorch"):
        files = sorted(glob.glob(os.path.join(folder, "parts", "*", side + ".json")))
        if files:
            merged = merge([load(f) for f in files])
            with open(os.path.join(folder, side + ".json"), "w") as f:
                json.dump(merged, f, indent=2)


def parameter_text(params):
    if not params:
        return "-"
    return " + ".join("%s {:,}".format(v) % k for k, v in params.items())


def parameters_check(r, q):
    """'same' when both sides report the same trainable parameters, else what differs."""
    a, b = r.get("parameters"), q.get("parameters")
    if not a or not b:
        return "not reported"
    if a == b:
        return "same"
    return "MISMATCH: GenLab %s, PyTorch %s" % (parameter_text(a), parameter_text(b))


def cores(row):
    """Cores kept busy: process CPU time / wall time (both medians)."""
    return row["cpu_median_ms"] / row["median_ms"] if row.get("cpu_median_ms") and row["median_ms"] else float("nan")


def table(g, p):
    by_id = {r["id"]: r for r in p["rows"]}
    lines = [
        "| row | batch | GenLab ms | PyTorch ms | ratio (wall) | ratio (CPU) | cores busy GenLab / PyTorch | GenLab images/s | PyTorch images/s | GenLab peak RSS MiB | PyTorch peak RSS MiB | parameters |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    ratios = []
    for r in g["rows"]:
        q = by_id.get(r["id"])
        if q is None:
            continue
        ratio = r["median_ms"] / q["median_ms"]
        cpu = r["cpu_median_ms"] / q["cpu_median_ms"] if q.get("cpu_median_ms") else float("nan")
        check = parameters_check(r, q)
        ratios.append((r["id"], ratio, cpu, check))
        note = " (%s)" % r["note"] if r.get("note") else ""
        params = parameter_text(r.get("parameters")) if check == "same" else "**" + check + "**"
        lines.append(
            "| %s%s | %d | %.1f | %.1f | %.2f%s | %.2f%s | %.2f / %.2f | %.1f | %.1f | %.0f | %.0f | %s |"
            % (
                r["id"],
                note,
                r["batch"],
                r["median_ms"],
                q["median_ms"],
                ratio,
                "" if ratio <= TARGET else " **",
                cpu,
                "" if cpu <= TARGET else " **",
                cores(r),
                cores(q),
                r["images_per_s"],
                q["images_per_s"],
                r["peak_rss_mib"],
                q["peak_rss_mib"],
                params,
            )
        )
    return lines, ratios


def runs_per_row(report):
    if not report["rows"]:
        return 1
    return max(1, round(len(report["rows"][0]["repeats_ms"]) / report["settings"]["repeats"]))


def blas_warning(p):
    blas = p.get("blas") or {}
    if blas.get("optimised") is False:
        return ["", "**WARNING: the PyTorch reference ran on %s — the reference (netlib) BLAS, several times slower than an optimised one: the ratios of rows with matrix products (attention, linear layers) are not fair. Install OpenBLAS (sudo apt-get install libopenblas0-pthread) and run again.**" % p["software"].get("BLAS")]
    if not blas:
        return ["", "(The reference did not record which BLAS it loaded: an older bench.py.)"]
    return []


def header(g, p):
    gs, ps = g["software"], p["software"]
    return [
        "Device: %s. Threads: GenLab %d intra-op / %d inter-op, PyTorch %d / %d."
        % (g["device_description"], g["threads"]["intra_op"], g["threads"]["inter_op"], p["threads"]["intra_op"], p["threads"]["inter_op"]),
        "GenLab %s on DJL %s, %s (%s); reference: PyTorch %s, Python %s, BLAS %s."
        % (gs.get("GenLab"), gs.get("DJL"), gs.get("Engine"), gs.get("libtorch flavour"), ps.get("PyTorch"), ps.get("Python"), ps.get("BLAS")),
        "Load average (1/5/15 min) — GenLab run: %s → %s; PyTorch run: %s → %s."
        % (g["machine"]["loadavg_start"], g["machine"]["loadavg_end"], p["machine"]["loadavg_start"], p["machine"]["loadavg_end"]),
        "Medians over %s repeats per run (%d run(s) of each side per row, pooled) after %s warm-up run(s); ratio = GenLab time / PyTorch time, of the wall-clock time and of the process CPU time (** above %.2f)."
        % (g["settings"]["repeats"], runs_per_row(g), g["settings"]["warmup"], TARGET),
    ]


def main(argv):
    folder = argv[1] if len(argv) > 1 else "bench/results"
    if os.path.isdir(os.path.join(folder, "parts")):
        merge_parts(folder)
    g = load(os.path.join(folder, "genlab.json"))
    p = load(os.path.join(folder, "pytorch.json"))
    lines, ratios = table(g, p)
    out = header(g, p) + blas_warning(p) + [""] + lines
    for m in g.get("memory_stability") or []:
        out.append("")
        out.append(
            "Memory stability (%s, %d steps, heap %s): RSS %.1f → %.1f MiB after %d warm-up steps, %+.2f %% (limit %.0f %%), slope over the second half %+.0f bytes/step, arrays %d → %d: %s"
            % (
                m["workload"],
                m["steps"],
                m["jvm_heap"],
                m["rss_after_warmup_mib"],
                m["rss_end_mib"],
                m["warmup_steps"],
                m["growth_percent"],
                m["limit_percent"],
                m["late_slope_bytes_per_step"],
                m["arrays_after_warmup"],
                m["arrays_end"],
                "PASS" if m["passed"] else "FAIL",
            )
        )
    text = "\n".join(out) + "\n"
    with open(os.path.join(folder, "comparison.md"), "w") as f:
        f.write(text)
    print(text)
    if ratios:
        worst = max(ratios, key=lambda x: x[1])
        print(
            "Rows within %.2fx: %d of %d by wall time, %d of %d by CPU time; slowest (wall): %s at %.2fx"
            % (TARGET, sum(1 for _, r, _, _ in ratios if r <= TARGET), len(ratios), sum(1 for _, _, c, _ in ratios if c <= TARGET), len(ratios), worst[0], worst[1])
        )
    mismatched = [(i, c) for i, _, _, c in ratios if c.startswith("MISMATCH")]
    for i, c in mismatched:
        print("PARAMETERS %s: %s" % (i, c))
    if mismatched:
        print("The two sides did not run the same networks in %d row(s): fix bench/reference/models.py." % len(mismatched))
        return 4
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
