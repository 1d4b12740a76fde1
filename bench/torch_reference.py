#!/usr/bin/python3
"""PyTorch reference for `rnnlab bench` (issue 9).

The same model, batch and training iteration as `rnnlab bench`
(framework/src/cli/bench.cpp), written the way the paper's PyTorch code is:
a Python loop over time steps calling the recurrence (as in the Yang & Wang
primer's CTRNN), autograd, and torch.optim.Adam with PyTorch defaults.

Model (SPEC §4, paper §1), no biases:
    h[t+1] = a h[t] + (1 - a) (W_h relu(h[t]) + W_x x[t]),  h[0] = 0
    yhat[t] = W_out relu(h[t+1])
    L = sum_{t,b} mask[t,b] mean_k (yhat - y)^2 / sum mask          (masked MSE)
with a = 0.5 and gain 1 (as in rnnlab bench), 3 inputs, 3 outputs, a fixed
random batch (x ~ N(0,1), y ~ 0.5 N(0,1), mask = 1).

Rules (paper §3):
    bptt   autograd through everything.
    eprop  the paper's detach: only the recurrent input W_h f(h) is cut off
           from the state, i.e. W_h @ relu(h).detach(), so the gradient
           flows back in time through the leak a h[t] alone. This is e-prop
           with symmetric feedback (B = W_out^T) and the leak trace
           eps[t+1] = a eps[t] + (1-a) f(h[t]) -- rnnlab's eprop default.
    rflo   e-prop with a fixed random feedback matrix B (N x Nout): the
           readout's backward passes B delta instead of W_out^T delta to the
           hidden units (custom autograd.Function); W_out still gets its exact
           gradient delta f(h)^T. With the weights outside f this is RFLO
           (paper §3). It costs the same as eprop plus one tiny product.

Prints one JSON object, like `rnnlab bench`:
    {"rule", "hidden", "batch", "steps", "iterations", "warmup", "threads",
     "dtype", "ms_per_iteration", "final_loss", "torch", "blas"}

`--check` verifies the eprop and rflo implementations against paper §3.
`--gemm` instead measures single-thread GEMM throughput with torch.mm (same
OpenBLAS as rnnlab on Debian) for the shapes of this model and prints JSON.
"""
import argparse
import json
import os
import sys
import time

# One BLAS thread unless the caller says otherwise (torch.set_num_threads does
# not reach OpenBLAS's own pthread pool, which reads these at load time).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

try:
    import torch
except ImportError as error:  # the bench script checks this first; be clear anyway
    print(json.dumps({"error": "PyTorch is not installed (apt-get install python3-torch): %s" % error}))
    sys.exit(3)

DTYPES = {"float64": torch.float64, "float32": torch.float32}


class RandomFeedbackReadout(torch.autograd.Function):
    """yhat = r @ W_out^T; backward sends delta @ B^T to r (B: N x Nout fixed)."""

    @staticmethod
    def forward(ctx, r, w_out, feedback):
        ctx.save_for_backward(r, feedback)
        return r @ w_out.t()

    @staticmethod
    def backward(ctx, grad_y):
        r, feedback = ctx.saved_tensors
        return grad_y @ feedback.t(), grad_y.t() @ r, None


class RNN(torch.nn.Module):
    """Rate RNN of paper eq. 1 in the primer's style (nn.Linear, loop over t)."""

    def __init__(self, n_in, n_hidden, n_out, alpha, gain, rule, generator, dtype):
        super().__init__()
        self.alpha = alpha
        self.rule = rule
        self.input2h = torch.nn.Linear(n_in, n_hidden, bias=False, dtype=dtype)   # U(+-1/sqrt(fan_in))
        self.h2h = torch.nn.Linear(n_hidden, n_hidden, bias=False, dtype=dtype)
        self.h2o = torch.nn.Linear(n_hidden, n_out, bias=False, dtype=dtype)
        with torch.no_grad():
            self.h2h.weight.normal_(0.0, gain / n_hidden ** 0.5, generator=generator)
        self.feedback = None
        if rule == "rflo":
            bound = 1.0 / n_hidden ** 0.5
            self.feedback = (torch.rand(n_hidden, n_out, generator=generator, dtype=dtype) * 2 - 1) * bound

    def recurrence(self, x_t, hidden):
        rate = torch.relu(hidden)
        if self.rule != "bptt":
            rate = rate.detach()      # paper §3: detach only the recurrent input W_h f(h)
        return self.alpha * hidden + (1.0 - self.alpha) * (self.h2h(rate) + self.input2h(x_t))

    def readout(self, hidden):
        rate = torch.relu(hidden)
        if self.feedback is None:
            return self.h2o(rate)
        return RandomFeedbackReadout.apply(rate, self.h2o.weight, self.feedback)

    def forward(self, x):
        steps, batch, _ = x.shape
        hidden = torch.zeros(batch, self.h2h.weight.shape[0], dtype=x.dtype)
        outputs = []
        for t in range(steps):
            hidden = self.recurrence(x[t], hidden)
            outputs.append(self.readout(hidden))
        return torch.stack(outputs)


def masked_mse(yhat, y, mask):
    return (((yhat - y) ** 2).mean(-1) * mask).sum() / mask.sum()


def bench(args):
    dtype = DTYPES[args.dtype]
    generator = torch.Generator().manual_seed(args.seed)
    torch.manual_seed(args.seed)  # nn.Linear's default initialisation
    n_in = n_out = 3
    x = torch.randn(args.steps, args.batch, n_in, generator=generator, dtype=dtype)
    y = 0.5 * torch.randn(args.steps, args.batch, n_out, generator=generator, dtype=dtype)
    mask = torch.ones(args.steps, args.batch, dtype=dtype)
    net = RNN(n_in, args.hidden, n_out, args.alpha, args.gain, args.rule, generator, dtype)
    optimizer = torch.optim.Adam(net.parameters(), lr=args.lr)  # PyTorch defaults otherwise

    def iterate():
        optimizer.zero_grad()
        loss = masked_mse(net(x), y, mask)
        loss.backward()
        optimizer.step()
        return loss.item()

    loss = float("nan")
    for _ in range(args.warmup):
        loss = iterate()
    start = time.perf_counter()
    for _ in range(args.iterations):
        loss = iterate()
    seconds = time.perf_counter() - start
    return {"rule": args.rule, "hidden": args.hidden, "batch": args.batch, "steps": args.steps,
            "iterations": args.iterations, "warmup": args.warmup, "threads": torch.get_num_threads(),
            "dtype": args.dtype, "ms_per_iteration": 1000.0 * seconds / args.iterations,
            "final_loss": loss, "torch": torch.__version__}


def gemm(args):
    """GFLOP/s of torch.mm (one thread) for this model's product shapes at N = hidden.

    step:    W_h (N x N) @ rates (N x B)      -- one time step's recurrent product
    batched: W_h (N x N) @ rates (N x B*T)    -- all steps at once / weight gradients
    The limit used for 'fraction of the limit' is the best of the two.
    """
    n, b, t = args.hidden, args.batch, args.steps
    result = {"hidden": n, "batch": b, "steps": t, "threads": torch.get_num_threads(),
              "torch": torch.__version__}
    for name, dtype in DTYPES.items():
        for shape, cols in (("step", b), ("batched", b * t)):
            a = torch.randn(n, n, dtype=dtype)
            m = torch.randn(n, cols, dtype=dtype)
            out = torch.empty(n, cols, dtype=dtype)
            flops = 2.0 * n * n * cols
            reps = max(3, int(args.gemm_seconds * 20e9 / flops))  # aim at ~gemm_seconds at 20 GFLOP/s
            for _ in range(max(1, reps // 10)):
                torch.mm(a, m, out=out)
            best = 0.0
            for _ in range(3):  # best of three blocks: robust against a noisy machine
                start = time.perf_counter()
                for _ in range(reps):
                    torch.mm(a, m, out=out)
                seconds = time.perf_counter() - start
                best = max(best, flops * reps / seconds / 1e9)
            result["%s_%s_gflops" % (name, shape)] = best
    result["dgemm_gflops"] = max(result["float64_step_gflops"], result["float64_batched_gflops"])
    result["sgemm_gflops"] = max(result["float32_step_gflops"], result["float32_batched_gflops"])
    return result


def check():
    """Self-check of the rule implementations (float64, small sizes).

    eprop: autograd with the detach equals the leak-trace formula of paper §3,
        dW_h = sum_t (D[t+1] W_out^T delta[t]) eps[t+1]^T,  eps[t+1] = a eps[t] + (1-a) f(h[t]).
    rflo: with the random feedback replaced by W_out^T it equals eprop exactly.
    """
    dtype = torch.float64
    generator = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    n, b, t_steps, a = 8, 4, 12, 0.5
    x = torch.randn(t_steps, b, 3, generator=generator, dtype=dtype)
    y = torch.randn(t_steps, b, 3, generator=generator, dtype=dtype)
    mask = torch.ones(t_steps, b, dtype=dtype)
    net = RNN(3, n, 3, a, 1.5, "eprop", generator, dtype)
    masked_mse(net(x), y, mask).backward()
    w_h, w_x, w_out = (m.weight.detach() for m in (net.h2h, net.input2h, net.h2o))
    h = torch.zeros(b, n, dtype=dtype)
    eps, eps_x = torch.zeros(b, n, dtype=dtype), torch.zeros(b, 3, dtype=dtype)
    g_h, g_x = torch.zeros(n, n, dtype=dtype), torch.zeros(n, 3, dtype=dtype)
    for t in range(t_steps):
        eps, eps_x = a * eps + (1 - a) * torch.relu(h), a * eps_x + (1 - a) * x[t]
        h = a * h + (1 - a) * (torch.relu(h) @ w_h.t() + x[t] @ w_x.t())
        delta = 2 * (torch.relu(h) @ w_out.t() - y[t]) / (3 * t_steps * b)
        signal = (delta @ w_out) * (h > 0)
        g_h += signal.t() @ eps
        g_x += signal.t() @ eps_x
    eprop_err = max((g_h - net.h2h.weight.grad).abs().max().item(),
                    (g_x - net.input2h.weight.grad).abs().max().item())
    rflo = RNN(3, n, 3, a, 1.5, "rflo", generator, dtype)
    rflo.load_state_dict(net.state_dict())
    rflo.feedback = w_out.t().clone()
    masked_mse(rflo(x), y, mask).backward()
    rflo_err = max((p.grad - q.grad).abs().max().item() for p, q in zip(net.parameters(), rflo.parameters()))
    ok = eprop_err < 1e-12 and rflo_err < 1e-12
    return {"check": "pass" if ok else "FAIL", "eprop_vs_leak_trace_max_abs_diff": eprop_err,
            "rflo_with_symmetric_feedback_vs_eprop_max_abs_diff": rflo_err}


def blas_core():
    """The OpenBLAS core this process runs (PyTorch's BLAS), or None."""
    import ctypes
    try:
        with open("/proc/self/maps") as maps:
            libraries = sorted({line.split()[-1] for line in maps
                                if "blas" in line.lower() and ".so" in line.split()[-1]})
    except OSError:
        return None
    for library in libraries:
        try:
            corename = ctypes.CDLL(library).openblas_get_corename
        except (OSError, AttributeError):
            continue
        corename.restype = ctypes.c_char_p
        return "OpenBLAS core " + corename().decode()
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rule", default="bptt", choices=["bptt", "eprop", "rflo"])
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--dtype", default="float64", choices=sorted(DTYPES))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--alpha", type=float, default=0.5)
    parser.add_argument("--gain", type=float, default=1.0)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--gemm", action="store_true", help="measure GEMM GFLOP/s instead")
    parser.add_argument("--gemm-seconds", type=float, default=0.2)
    parser.add_argument("--check", action="store_true", help="check eprop/rflo against paper §3 and exit")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.check:
        result = check()
        print(json.dumps(result))
        sys.exit(0 if result["check"] == "pass" else 1)
    result = gemm(args) if args.gemm else bench(args)
    result["blas"] = blas_core()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
