#!/usr/bin/env bash
# rnnlab vs PyTorch benchmark (issue 9). See bench/README.md.
#
#   bench/run.sh                     # from the repository root; build in ./build
#   BUILD=/path/to/build bench/run.sh
#
# Environment knobs (defaults in brackets):
#   BUILD [build]            build tree holding bin/rnnlab
#   PYTHON [/usr/bin/python3] interpreter with python3-torch
#   NS ["64 256 1024"]       hidden sizes
#   RULES ["bptt eprop rflo"] rules (floss is added if `rnnlab plugins` lists it)
#   PRECISIONS ["single double"] rnnlab training precisions (lab.network precision)
#   FLOSS_MAX_N [64]         largest N for floss (it is O(N^3) per step with k = N/2)
#   REPEATS [3]              passes over the whole grid; the table keeps each
#                            configuration's best (least disturbed) pass
#   SWEEP [1]                0 skips the sweep-throughput part
#   ONLINE [1]               0 skips the online rules (rtrl, uoro, snap,
#                            node_perturbation at N = 64) and the NumPy RTRL
#   THREADS [nproc]          threads of the one-run-on-every-core rows (1 skips them)
#   THREADS_NS [the NS >= 512] hidden sizes of those rows (bptt and eprop, single)
#   OUT [a fresh temp dir]   where raw JSON results and sweep outputs go
#   BLAS_CONDITION [auto]    fallback: rnnlab runs with OPENBLAS_CORETYPE=Prescott,
#                            OpenBLAS's SSE3 fallback on CPUs it does not recognise
#                            (PyTorch keeps the best core); auto: rnnlab's own choice
# Everything else runs single-threaded: OPENBLAS_NUM_THREADS=1,
# OMP_NUM_THREADS=1, torch.set_num_threads(1). PyTorch runs the OpenBLAS core
# that rnnlab runs (OPENBLAS_CORETYPE, unless you set it yourself for both),
# so neither side is timed with a weaker BLAS kernel than the CPU allows.
# Progress goes to stderr, the Markdown report to stdout: first the table of
# README.md ("Performance"), then the details of bench/README.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD="${BUILD:-build}"
RNNLAB="$BUILD/bin/rnnlab"
PYTHON="${PYTHON:-/usr/bin/python3}"
NS="${NS:-64 256 1024}"
RULES="${RULES:-bptt eprop rflo}"
PRECISIONS="${PRECISIONS:-single double}"
FLOSS_MAX_N="${FLOSS_MAX_N:-64}"
REPEATS="${REPEATS:-3}"
SWEEP="${SWEEP:-1}"
ONLINE="${ONLINE:-1}"
THREADS="${THREADS:-$(env -u OMP_NUM_THREADS nproc)}"
if [[ -z "${THREADS_NS+set}" ]]; then
  THREADS_NS=""
  for n in $NS; do (( n >= 512 )) && THREADS_NS="$THREADS_NS $n"; done
fi
OUT="${OUT:-$(mktemp -d /tmp/rnnlab-bench.XXXXXX)}"
BATCH=32
STEPS=100
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1

log() { echo "[bench] $*" >&2; }

# Iterations per N: timed rnnlab, timed torch, torch warm-up (rnnlab bench
# always warms up 5 iterations). Small at N = 1024 to stay within ~10 min.
rnnlab_iters() { case "$1" in 64) echo 300;; 256) echo 40;; 1024) echo 5;; *) echo 5;; esac; }
torch_iters()  { case "$1" in 64) echo 50;;  256) echo 10;; 1024) echo 3;; *) echo 3;; esac; }
torch_warmup() { case "$1" in 64) echo 5;;   256) echo 2;;  1024) echo 1;; *) echo 1;; esac; }

# The build is maintained elsewhere: wait for it rather than fail at once.
for _ in $(seq 1 30); do
  [[ -x "$RNNLAB" ]] && break
  log "waiting for $RNNLAB (build in progress?)"
  sleep 10
done
if [[ ! -x "$RNNLAB" ]]; then
  echo "error: $RNNLAB not found; build rnnlab first (cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j) or set BUILD" >&2
  exit 1
fi

# The kernels rnnlab runs, and the same OpenBLAS core for PyTorch (in the
# fallback condition, the core rnnlab would choose: PyTorch's best).
BLAS_CONDITION="${BLAS_CONDITION:-auto}"
RNNLAB_ENV=(env)
case "$BLAS_CONDITION" in
  auto) ;;
  fallback) RNNLAB_ENV=(env OPENBLAS_CORETYPE=Prescott) ;;
  *) echo "error: BLAS_CONDITION is '$BLAS_CONDITION': use auto or fallback" >&2; exit 2 ;;
esac
BEST_KERNELS="$("$RNNLAB" --version | sed -n 's/^kernels: //p')"
KERNELS="$("${RNNLAB_ENV[@]}" "$RNNLAB" --version | sed -n 's/^kernels: //p')"
CORE="$(sed -n 's/.*OpenBLAS [0-9.]* *core \([A-Za-z0-9_]*\).*/\1/p' <<< "$BEST_KERNELS")"
TORCH_ENV=(env)
if [[ -n "$CORE" && ( -z "${OPENBLAS_CORETYPE:-}" || $BLAS_CONDITION == fallback ) ]]; then
  TORCH_ENV=(env "OPENBLAS_CORETYPE=$CORE")
fi
log "rnnlab kernels: $KERNELS"

mkdir -p "$OUT"
RESULTS="$OUT/results.jsonl"
: > "$RESULTS"
log "raw results: $RESULTS"

TORCH=1
TORCH_VERSION=""
if ! TORCH_VERSION="$("$PYTHON" -c 'import torch; print(torch.__version__)' 2>/dev/null)"; then
  TORCH=0
  log "PyTorch is NOT installed for $PYTHON (apt-get install python3-torch): only rnnlab's numbers are reported"
fi

if "$RNNLAB" plugins 2>/dev/null | awk '$1 == "rule" {print $2}' | grep -qx floss; then
  case " $RULES " in *" floss "*) ;; *) RULES="$RULES floss";; esac
fi

# record KIND JSON: append a tagged line to the results file.
record() { printf '{"kind": "%s", "data": %s}\n' "$1" "$2" >> "$RESULTS"; }

# measure KIND CMD...: run CMD (which prints one JSON line) and record it. The
# shared build may be relinked under us: retry twice, then note the failure
# on stderr and go on without the row.
measure() {
  local kind="$1" out attempt
  shift
  for attempt in 1 2 3; do
    if out="$("$@" | tail -n 1)" && [[ $out == "{"* ]]; then
      record "$kind" "$out"
      return 0
    fi
    log "failed (attempt $attempt): $*"
    sleep 15
  done
  log "giving up on: $*"
}

if [[ $TORCH == 1 ]]; then
  log "torch reference self-check (eprop = leak-trace formula, rflo with W_out^T = eprop)"
  CHECK="$("${TORCH_ENV[@]}" "$PYTHON" "$HERE/torch_reference.py" --check | tail -n 1)" || log "torch reference self-check FAILED: $CHECK"
  if [[ $CHECK == "{"* ]]; then record check "$CHECK"; fi
fi

START_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
START_DATE="$(date -u '+%Y-%m-%d %H:%M UTC')"

for pass in $(seq 1 "$REPEATS"); do
  for n in $NS; do
    log "pass $pass of $REPEATS, N=$n"
    if [[ $TORCH == 1 ]]; then
      log "GEMM throughput, N=$n"
      measure gemm "${TORCH_ENV[@]}" "$PYTHON" "$HERE/torch_reference.py" --gemm --hidden "$n" --batch $BATCH --steps $STEPS
    fi
    for rule in $RULES; do
      iters="$(rnnlab_iters "$n")"
      if [[ $rule == floss ]]; then
        if (( n > FLOSS_MAX_N )); then
          log "skip floss at N=$n (> FLOSS_MAX_N=$FLOSS_MAX_N)"
          [[ $pass == 1 ]] && record skip "{\"rule\": \"floss\", \"hidden\": $n, \"why\": \"N > FLOSS_MAX_N=$FLOSS_MAX_N\"}"
          continue
        fi
        iters=5
      fi
      for precision in $PRECISIONS; do
        log "rnnlab bench --rule $rule --hidden $n --precision $precision ($iters iterations)"
        measure rnnlab "${RNNLAB_ENV[@]}" "$RNNLAB" bench --rule "$rule" --hidden "$n" --batch $BATCH --steps $STEPS \
          --iterations "$iters" --precision "$precision"
      done
      if (( THREADS > 1 )) && [[ " $THREADS_NS " == *" $n "* && ( $rule == bptt || $rule == eprop ) ]]; then
        log "rnnlab bench --rule $rule --hidden $n --threads $THREADS"
        measure rnnlab "${RNNLAB_ENV[@]}" "$RNNLAB" bench --rule "$rule" --hidden "$n" --batch $BATCH --steps $STEPS \
          --iterations "$iters" --threads "$THREADS"
      fi
      if [[ $TORCH == 1 && $rule != floss ]]; then
        for dtype in float64 float32; do
          log "torch_reference.py --rule $rule --hidden $n --dtype $dtype"
          measure torch "${TORCH_ENV[@]}" "$PYTHON" "$HERE/torch_reference.py" --rule "$rule" --hidden "$n" --batch $BATCH \
            --steps $STEPS --iterations "$(torch_iters "$n")" --warmup "$(torch_warmup "$n")" --dtype "$dtype" --threads 1
        done
      fi
    done
  done
done

if [[ $ONLINE == 1 ]]; then
  # Online rules at N = 64 against BPTT in the same pass, and exact RTRL
  # against the NumPy RTRL of bench/numpy_rtrl.py (vanilla-rtrl's way).
  if "$PYTHON" -c 'import numpy' 2>/dev/null; then
    CHECK="$("$PYTHON" "$HERE/numpy_rtrl.py" --check | tail -n 1)" || log "numpy RTRL self-check FAILED: $CHECK"
    if [[ $CHECK == "{"* ]]; then record numpy_check "$CHECK"; fi
  fi
  for pass in $(seq 1 "$REPEATS"); do
    for rule in bptt uoro snap node_perturbation rtrl; do
      iters=300
      [[ $rule == rtrl ]] && iters=3
      for precision in $PRECISIONS; do
        log "online (pass $pass): rnnlab bench --rule $rule --hidden 64 --precision $precision ($iters iterations)"
        measure online "${RNNLAB_ENV[@]}" "$RNNLAB" bench --rule "$rule" --hidden 64 --batch $BATCH --steps $STEPS \
          --iterations "$iters" --precision "$precision"
      done
    done
    if "$PYTHON" -c 'import numpy' 2>/dev/null; then
      log "online (pass $pass): bench/numpy_rtrl.py --hidden 64 (1 iteration)"
      measure numpy "$PYTHON" "$HERE/numpy_rtrl.py" --hidden 64 --batch $BATCH --steps $STEPS --iterations 1 --warmup 0
    fi
  done
fi

if [[ $SWEEP == 1 ]]; then
  TIME_V=""
  if /usr/bin/time -v true >/dev/null 2>&1; then TIME_V="/usr/bin/time -v"; fi
  for pass in $(seq 1 "$REPEATS"); do for jobs in 1 2; do
    log "sweep throughput (pass $pass): bench/sweep_bench.lua --jobs $jobs"
    if ! $TIME_V "${RNNLAB_ENV[@]}" "$RNNLAB" run "$HERE/sweep_bench.lua" --jobs "$jobs" --quiet --out "$OUT/sweep_j$jobs" \
      > "$OUT/sweep_j$jobs.json" 2> "$OUT/sweep_j$jobs.time"; then
      log "sweep with --jobs $jobs failed: see $OUT/sweep_j$jobs.time"
      continue
    fi
    rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/sweep_j$jobs.time")"
    record sweep "{\"jobs\": $jobs, \"max_rss_kb\": ${rss:-null}, \"result\": $(tail -n 1 "$OUT/sweep_j$jobs.json")}"
  done; done
fi

END_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
CPU="$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)"
MACHINE="$CPU, $(nproc --all) cores; load average $START_LOAD at start, $END_LOAD at end; $START_DATE"

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "($PYTHON not found: raw results follow)"; cat "$RESULTS"; exit 0
fi

"$PYTHON" - "$RESULTS" "$MACHINE" "$TORCH" "$TORCH_VERSION" "$BATCH" "$STEPS" "$KERNELS" "$START_LOAD" "$(env -u OMP_NUM_THREADS nproc)" "$BLAS_CONDITION" <<'PY'
import json, sys
path, machine, torch_ok, torch_version, B, T, kernels, start_load, cores, blas_condition = sys.argv[1:11]
B, T = int(B), int(T)
rows = [json.loads(line) for line in open(path) if line.strip()]
# Best of the passes: the fastest time and the highest GEMM throughput.
gemm = {}
for r in (r["data"] for r in rows if r["kind"] == "gemm"):
    g = gemm.setdefault(r["hidden"], dict(r))
    for k, v in r.items():
        if k.endswith("gflops"):
            g[k] = max(g[k], v)
rn_best = {}
for r in (r["data"] for r in rows if r["kind"] == "rnnlab"):
    key = (r["hidden"], r["rule"], r["precision"], r.get("threads", 1))
    if key not in rn_best or r["ms_per_iteration"] < rn_best[key]["ms_per_iteration"]:
        rn_best[key] = r
rn = [r for r in rn_best.values() if r.get("threads", 1) == 1]  # insertion order: N, then rule
threaded = [r for r in rn_best.values() if r.get("threads", 1) > 1]
passes = max([sum(1 for x in rows if x["kind"] == "rnnlab" and x["data"]["hidden"] == r["hidden"]
                  and x["data"]["rule"] == r["rule"] and x["data"]["precision"] == r["precision"]
                  and x["data"].get("threads", 1) == 1)
                  for r in rn] or [0])
th = {}
torch_blas = set()
for r in (r["data"] for r in rows if r["kind"] in ("torch", "gemm")):
    torch_blas.add(r.get("blas") or "BLAS unknown")
    if "rule" not in r:  # a GEMM measurement
        continue
    key = (r["hidden"], r["rule"], r["dtype"])
    th[key] = min(th.get(key, float("inf")), r["ms_per_iteration"])
skips = [r["data"] for r in rows if r["kind"] == "skip"]
checks = [r["data"] for r in rows if r["kind"] == "check"]
sweeps = {}
for r in (r["data"] for r in rows if r["kind"] == "sweep"):
    best = sweeps.setdefault(r["jobs"], r)
    if r["result"]["runs_per_second"] > best["result"]["runs_per_second"]:
        sweeps[r["jobs"]] = r
    rss = [x["max_rss_kb"] for x in (r, best) if x["max_rss_kb"]]
    sweeps[r["jobs"]]["max_rss_kb"] = max(rss) if rss else None
sweeps = [sweeps[j] for j in sorted(sweeps)]
FLOPS = {"bptt": 6, "eprop": 4, "rflo": 4}  # x N^2 B T per iteration (issue 9)

def f(v, fmt="%.2f"):
    return "—" if v is None else fmt % v

def limit_of(n, precision):
    g = gemm.get(n)
    return (g["sgemm_gflops"] if precision == "single" else g["dgemm_gflops"]) if g else None

def gflops_of(r):
    rule = r["rule"]
    return FLOPS[rule] * r["hidden"] ** 2 * B * T / (r["ms_per_iteration"] * 1e-3) / 1e9 if rule in FLOPS else None

# The table of README.md ("Performance"): rnnlab in single precision, one thread.
print("Machine: %s" % machine)
if float(start_load.split()[0]) >= 1.0:
    print("**Busy machine**: load average %s at start on %s cores; other work shared the cores, so these "
          "numbers (the --threads rows most of all) are not an idle machine's." % (start_load.split()[0], cores))
print("rnnlab kernels: %s" % kernels)
if blas_condition == "fallback":
    print("BLAS condition: **fallback** - rnnlab ran with OPENBLAS_CORETYPE=Prescott (OpenBLAS's SSE3 kernels, "
          "as on a CPU it does not recognise); PyTorch ran its best core")
if torch_ok == "1":
    print("PyTorch %s, BLAS: %s (one thread)" % (torch_version, ", ".join(sorted(torch_blas)) or "not measured"))
else:
    print("PyTorch: **not installed** (`apt-get install python3-torch`): the PyTorch columns are empty (—)")
print()
print("Batch 32, T = 100, ms per iteration (forward, gradient, Adam), best of %d pass%s; rnnlab in single "
      "precision, one thread:" % (passes, "" if passes == 1 else "es"))
print()
print("| N | rule | rnnlab | PyTorch f64 | PyTorch f32 | speed-up vs f64 / f32 | % of sgemm limit |")
print("|---|---|---|---|---|---|---|")
for r in rn:
    if r["precision"] != "single" or r["rule"] not in ("bptt", "eprop"):
        continue
    n, rule, ms = r["hidden"], r["rule"], r["ms_per_iteration"]
    t64, t32 = th.get((n, rule, "float64")), th.get((n, rule, "float32"))
    limit, gf = limit_of(n, "single"), gflops_of(r)
    print("| %d | %s | %s | %s | %s | %s / %s | %s |" % (
        n, rule, f(ms), f(t64), f(t32), f(t64 / ms if t64 else None, "%.1f×"), f(t32 / ms if t32 else None, "%.1f×"),
        f(100 * gf / limit if gf and limit else None, "%.0f%%")))
if threaded:
    print()
    print("One run on every core (`rnnlab bench --threads K`, single precision; the results are bitwise those "
          "of one thread):")
    print()
    print("| N | rule | 1 thread ms/it | K | K threads ms/it | speed-up |")
    print("|---|---|---|---|---|---|")
    for r in threaded:
        one = rn_best.get((r["hidden"], r["rule"], r["precision"], 1))
        print("| %d | %s | %s | %d | %s | %s |" % (
            r["hidden"], r["rule"], f(one["ms_per_iteration"] if one else None), r["threads"],
            f(r["ms_per_iteration"]), f(one["ms_per_iteration"] / r["ms_per_iteration"] if one else None, "%.2f×")))
print()
print("## Details")
print()
print("Single thread (OPENBLAS_NUM_THREADS=1, torch.set_num_threads(1)) except the --threads rows above; B = %d, T = %d; "
      "rnnlab in single and double precision (`--precision`); PyTorch %s." % (B, T, torch_version if torch_ok == "1" else "NOT INSTALLED"))
print()
if torch_ok != "1":
    print("**PyTorch is not installed** (`apt-get install python3-torch`): torch columns and the GEMM limit are empty.")
    print()
if torch_ok == "1":
    print("Torch reference self-check (`torch_reference.py --check`): %s" % (
        "%s (eprop vs leak-trace formula: %.1e, rflo with W_outᵀ feedback vs eprop: %.1e)" % (
            checks[0]["check"], checks[0]["eprop_vs_leak_trace_max_abs_diff"],
            checks[0]["rflo_with_symmetric_feedback_vs_eprop_max_abs_diff"]) if checks else "FAILED to run"))
    print()
if gemm:
    print("GEMM throughput (torch.mm, 1 thread, GFLOP/s): step = (N×N)·(N×B), batched = (N×N)·(N×B·T)")
    print()
    print("| N | dgemm step | dgemm batched | sgemm step | sgemm batched |")
    print("|---|---|---|---|---|")
    for n in sorted(gemm):
        g = gemm[n]
        print("| %d | %.1f | %.1f | %.1f | %.1f |" % (n, g["float64_step_gflops"], g["float64_batched_gflops"],
                                                     g["float32_step_gflops"], g["float32_batched_gflops"]))
    print()
print("Training iterations (forward, rule gradient, Adam), ms per iteration, best of %d pass%s; speed-up" % (passes, "" if passes == 1 else "es") +
      " = torch ms / rnnlab ms; "
      "limit = best sgemm GFLOP/s above at that N for single precision, best dgemm for double; "
      "flops/iteration = 6·N²·B·T (bptt), 4·N²·B·T (eprop, rflo).")
print()
print("| N | rule | precision | rnnlab ms/it | torch f64 ms/it | torch f32 ms/it | speed-up vs f64 | speed-up vs f32 "
      "| rnnlab GFLOP/s | % of limit |")
print("|---|---|---|---|---|---|---|---|---|---|")
for r in rn:
    n, rule, precision, ms = r["hidden"], r["rule"], r["precision"], r["ms_per_iteration"]
    t64, t32 = th.get((n, rule, "float64")), th.get((n, rule, "float32"))
    gflops, limit = gflops_of(r), limit_of(n, precision)
    frac = 100 * gflops / limit if gflops and limit else None
    print("| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
        n, rule, precision, f(ms), f(t64), f(t32),
        f(t64 / ms if t64 else None, "%.1f×"), f(t32 / ms if t32 else None, "%.1f×"),
        f(gflops, "%.1f"), f(frac, "%.0f%%")))
for s in skips:
    print("| %d | %s | | skipped (%s) | | | | | | |" % (s["hidden"], s["rule"], s["why"]))
if sweeps:
    print()
    print("Sweep throughput (bench/sweep_bench.lua: %d Romo runs, N = 64, B = 32, %s, %d iterations each; "
          "best of the passes, peak RSS the largest seen):" % (
        sweeps[0]["result"]["runs"], sweeps[0]["result"]["rule"], sweeps[0]["result"]["iterations"]))
    print()
    print("| --jobs | seconds | runs/s | relative | peak RSS (MB, whole process) |")
    print("|---|---|---|---|---|")
    base = None
    for s in sweeps:
        rps = s["result"]["runs_per_second"]
        base = base or rps
        rss = s["max_rss_kb"]
        print("| %d | %.2f | %.3f | %.2f× | %s |" % (s["jobs"], s["result"]["seconds"], rps, rps / base,
                                                   f(rss / 1024 if rss else None, "%.1f")))
online = {}
for r in (r["data"] for r in rows if r["kind"] == "online"):
    key = (r["rule"], r["precision"])
    online[key] = min(online.get(key, float("inf")), r["ms_per_iteration"])
numpy_ms = min([r["data"]["ms_per_iteration"] for r in rows if r["kind"] == "numpy"] or [None], key=lambda v: v or 0)
numpy_check = [r["data"] for r in rows if r["kind"] == "numpy_check"]
if online:
    print()
    print("Online rules at N = 64, B = 32, T = 100 (forward, rule gradient, Adam), ms per iteration, best of the passes; "
          "relative to BPTT in the same precision; RTRL also against bench/numpy_rtrl.py (float64, one trial at a time, "
          "as vanilla-rtrl)%s:" % (
              " — NumPy RTRL self-check %s (vs finite differences %.1e)" % (
                  numpy_check[0]["check"], numpy_check[0]["rtrl_vs_finite_differences_rel_error"]) if numpy_check else ""))
    print()
    print("| rule | precision | rnnlab ms/it | × BPTT | NumPy RTRL ms/it | speed-up vs NumPy |")
    print("|---|---|---|---|---|---|")
    for (rule, precision), ms in online.items():
        base = online.get(("bptt", precision))
        np_ms = numpy_ms if rule == "rtrl" else None
        print("| %s | %s | %s | %s | %s | %s |" % (rule, precision, f(ms), f(ms / base if base else None, "%.1f×"),
                                                   f(np_ms, "%.0f"), f(np_ms / ms if np_ms else None, "%.1f×")))
sys.stdout.flush()
PY
log "done; raw results in $RESULTS"
