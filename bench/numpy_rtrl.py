#!/usr/bin/python3
"""NumPy RTRL reference for `rnnlab bench --rule rtrl`.

Exact real-time recurrent learning written the way vanilla-rtrl
(github.com/omarschall/vanilla-rtrl, learning_algorithms/RTRL.py) writes it:
one trial at a time, the immediate influence as a dense Kronecker product,
the network Jacobian as an N x N matrix, and the influence matrix updated
by a matrix product at every step:

    papw = kron(a_hat, c I)                 a_hat = [f(h[t]); x[t]]   (N x N(N+Nin))
    J    = a I + c W_h diag f'(h[t])                                    (N x N)
    M    = J M + papw                       grad += q M,  q = f'(h[t+1]) * (W_out^T delta[t])

on the model and batch of `rnnlab bench` (framework/src/cli/bench.cpp):
h[t+1] = a h[t] + c (W_h relu(h[t]) + W_x x[t]), c = 1 - a, a = 0.5, no
biases, 3 inputs, 3 outputs, x ~ N(0,1), y ~ 0.5 N(0,1), mask 1, masked
MSE, Adam (lr 1e-3). float64, as vanilla-rtrl.

Prints one JSON object like `rnnlab bench`. `--check` compares the RTRL
gradient with central finite differences of the loss on a small network.
"""
import argparse
import json
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np  # noqa: E402


def make(N, Nin, Nout, B, T, seed=1):
    rng = np.random.default_rng(seed)
    W_h = rng.normal(0, 1 / np.sqrt(N), (N, N))
    W_x = rng.uniform(-1 / np.sqrt(Nin), 1 / np.sqrt(Nin), (N, Nin))
    W_out = rng.uniform(-1 / np.sqrt(N), 1 / np.sqrt(N), (Nout, N))
    x = rng.normal(size=(T, B, Nin))
    y = 0.5 * rng.normal(size=(T, B, Nout))
    return [W_h, W_x, W_out], x, y


def forward(params, x, a):
    W_h, W_x, W_out = params
    T, B, _ = x.shape
    N = W_h.shape[0]
    h = np.zeros((T + 1, B, N))
    for t in range(T):
        h[t + 1] = a * h[t] + (1 - a) * (np.maximum(h[t], 0) @ W_h.T + x[t] @ W_x.T)
    yhat = np.maximum(h[1:], 0) @ W_out.T
    return h, yhat


def loss(params, x, y, a):
    _, yhat = forward(params, x, a)
    T, B, K = y.shape
    return np.sum((yhat - y) ** 2) / (K * T * B)


def rtrl_gradient(params, x, y, a):
    W_h, W_x, W_out = params
    T, B, K = y.shape
    N, Nin = W_x.shape
    c = 1 - a
    h, yhat = forward(params, x, a)
    delta = 2 * (yhat - y) / (K * T * B)
    r = np.maximum(h, 0)
    fp = (h > 0).astype(float)
    grad_rec = np.zeros(N * (N + Nin))
    for b in range(B):
        M = np.zeros((N, N * (N + Nin)))
        for t in range(T):
            a_hat = np.concatenate([r[t, b], x[t, b]])
            papw = np.kron(a_hat, c * np.eye(N))
            J = a * np.eye(N) + c * W_h * fp[t, b][None, :]
            M = J.dot(M) + papw
            q = fp[t + 1, b] * (W_out.T @ delta[t, b])
            grad_rec += q.dot(M)
    g = grad_rec.reshape((N, N + Nin), order="F")
    dW_out = np.einsum("tbk,tbn->kn", delta, r[1:])
    return [g[:, :N], g[:, N:], dW_out], np.sum((yhat - y) ** 2) / (K * T * B)


class Adam:
    def __init__(self, params, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8):
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.lr, self.b1, self.b2, self.eps, self.t = lr, b1, b2, eps, 0

    def step(self, params, grads):
        self.t += 1
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m *= self.b1
            m += (1 - self.b1) * g
            v *= self.b2
            v += (1 - self.b2) * g * g
            mh = m / (1 - self.b1 ** self.t)
            vh = v / (1 - self.b2 ** self.t)
            p -= self.lr * mh / (np.sqrt(vh) + self.eps)


def check():
    a = 0.5
    params, x, y = make(4, 3, 3, 2, 6, seed=3)
    grads, _ = rtrl_gradient(params, x, y, a)
    worst = 0.0
    for p, g in zip(params, grads):
        fd = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + 1e-6
            up = loss(params, x, y, a)
            p[idx] = old - 1e-6
            down = loss(params, x, y, a)
            p[idx] = old
            fd[idx] = (up - down) / 2e-6
        worst = max(worst, np.linalg.norm(g - fd) / max(np.linalg.norm(fd), 1e-300))
    return {"check": "pass" if worst < 1e-5 else "FAIL", "rtrl_vs_finite_differences_rel_error": worst}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--iterations", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    if args.check:
        print(json.dumps(check()))
        return
    a = 0.5
    params, x, y = make(args.hidden, 3, 3, args.batch, args.steps)
    opt = Adam(params)
    for _ in range(args.warmup):
        grads, _ = rtrl_gradient(params, x, y, a)
        opt.step(params, grads)
    start = time.perf_counter()
    for _ in range(args.iterations):
        grads, final = rtrl_gradient(params, x, y, a)
        opt.step(params, grads)
    seconds = time.perf_counter() - start
    print(json.dumps({"rule": "rtrl", "implementation": "numpy", "hidden": args.hidden, "batch": args.batch,
                      "steps": args.steps, "iterations": args.iterations, "threads": 1, "dtype": "float64",
                      "ms_per_iteration": 1000 * seconds / args.iterations, "final_loss": final,
                      "numpy": np.__version__}))


if __name__ == "__main__":
    main()
