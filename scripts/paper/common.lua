-- Shared settings of the paper reproduction (paper.md §1, §6).
--   --set quick=1     fewer seeds, learning rates and iterations (minutes)
--   --out DIR         results root (default results/paper)
local M = {}

M.quick = lab.args.quick == 1 or lab.args.quick == true
-- --set smoke=1: a seconds-long run of every code path (the test suite's).
M.smoke = lab.args.smoke == 1 or lab.args.smoke == true
if M.smoke then M.quick = true end
M.root = lab.args.out or "results/paper"
-- Under mpirun (MPI build) every rank runs the script; sweeps are shared
-- out, and only rank 0 draws and reports.
M.lead = lab.rank == 0
M.figures = M.root .. "/figures"

M.gains = { 0.2, 0.5, 1.0, 1.5, 2.0 }                -- main set (choice, paper.md §6)
M.more_gains = { 0.1, 0.3, 0.4, 0.6, 0.8 }           -- Fig. 5 adds these
M.seeds = M.quick and { 1, 2 } or { 1, 2, 3, 4, 5 }
M.lrs = M.quick and { 1e-3, 3e-3 } or { 1e-4, 3e-4, 1e-3, 3e-3 }
M.iterations = M.quick and 500 or 2000              -- Figs. 1-3, 5
M.floss_iterations = 100                             -- Fig. 4 pretraining
M.eprop_after_floss = M.quick and 1000 or 5000       -- Fig. 4
if M.smoke then
  M.gains, M.more_gains, M.seeds, M.lrs = { 0.2, 1.0, 1.5 }, { 0.5 }, { 1 }, { 1e-3 }
  M.iterations, M.floss_iterations, M.eprop_after_floss = 20, 5, 20
end
M.log_every = 10
-- First iteration of the loss figures and of the claims' curve measures:
-- Figs. 1, 2, 5 from 200 as the paper draws them (50 in quick mode, which
-- trains 500); Fig. 4 from the 2000th iteration (choice).
M.from = M.smoke and 0 or (M.quick and 50 or 200)
M.from4 = M.smoke and 0 or (M.quick and 500 or 2000)

-- The figures written by this process, for the report (shared by every
-- figure script that all.lua runs).
package.loaded["rnnlab.paper.figures"] = package.loaded["rnnlab.paper.figures"] or {}
M.written = package.loaded["rnnlab.paper.figures"]
function M.wrote(png)
  print("  wrote " .. png)
  M.written[#M.written + 1] = png
  return png
end

-- Tasks as the paper trains them, one trial per sequence (choice: the
-- paper does not say; streaming trials into 100-step chunks as the
-- primer's Dataset does is the ablation scripts/paper/ablations/streaming.lua,
-- paper.md §2, §9).
M.tasks = {
  romo = { "romo", { batch = 32 } },
  ["2af"] = { "perceptual_decision", { batch = 32 } },
  dms = { "delay_match_sample", { batch = 32 } },
}
-- At alpha = 0 (2AF and DMS: dt = tau = 100 ms) a ReLU network with
-- W_h ~ N(0, g^2/N) is supercritical above g = sqrt(2): its activity grows
-- without bound unless training tames it. Such gains are reported as such.
M.critical_gain = math.sqrt(2)

-- e-prop as the paper implements it, hidden.detach(): feedback W_outᵀ (what
-- autograd uses) and, our reading, the whole state detached (trace none;
-- paper.md §3; the leaky trace is the trace_leak ablation).
M.rules = {
  bptt = { "bptt", {} },
  eprop = { "eprop", { feedback = "symmetric", trace = "none" } },
}

-- Flossing before e-prop in Fig. 4 (choices): k = N/2 exponents (the
-- rule's default) on the first 8 trial windows of each batch, Adam at the
-- run's learning rate.
M.floss = { trials = 8 }

M.network = { hidden = M.smoke and 16 or 64, tau = 100 }
-- Accuracy on a held-out evaluation batch along training (the paper
-- "primarily assessed the impact in terms of task accuracy"); every 100
-- iterations (choice; quick 50).
M.monitor_every = M.smoke and 5 or (M.quick and 50 or 100)
M.monitor = { { "accuracy", every = M.monitor_every } }
M.lyapunov = { "lyapunov", { exponents = 1, steps = M.smoke and 100 or (M.quick and 500 or 1000) } }

-- One sweep: a task, a protocol, the gain × lr × seed grid, max LE before
-- and after. Returns the output directory; reruns resume.
function M.sweep(name, task, protocol, gains)
  local out = M.root .. "/" .. name
  local r = lab.sweep{
    out = out,
    task = M.tasks[task],
    network = M.network,
    grid = M.grid(gains),
    protocol = protocol,
    optimizer = "adam",
    analyses = { before = { M.lyapunov }, after = { M.lyapunov } },
    monitor = M.monitor,
    log_every = M.log_every,
  }
  if M.lead then
    print(string.format("%-28s %3d runs (%d new, %d diverged) in %.1f s", name, r.runs, r.completed, r.diverged, r.seconds))
  end
  return out
end

function M.grid(gains)
  local grid = { gain = gains or M.gains, seed = M.seeds, lr = M.lrs }
  for k, v in pairs(M.extra_grid or {}) do grid[k] = v end
  return grid
end

-- An ablation runs figure scripts under another setting
-- (scripts/paper/ablations/): loadfile(here .. "fig1.lua")(path, variant) with
--   variant = { name = "trace_leak",                 -- folder under <root>/ablations/
--               rules = { eprop = { trace = "leak" } }, tasks = { dms = { ... } },
--               floss = { exponents = 8 }, grid = { ["phase1.lr"] = { 1e-2 } },
--               gains = { 0.2, 1.0 },
--               only = { rules = { "eprop" }, tasks = { "dms" }, sweeps = { "fig4_floss_eprop" } } }
function M.configure(variant)
  if not variant then return M end
  M.variant = variant
  if variant.name then  -- without a name: the main run's folders (a subset of it)
    M.root = M.root .. "/ablations/" .. variant.name
    M.figures = M.root .. "/figures"
  end
  for name, params in pairs(variant.rules or {}) do
    for k, v in pairs(params) do M.rules[name][2][k] = v end
  end
  for name, params in pairs(variant.tasks or {}) do
    for k, v in pairs(params) do M.tasks[name][2][k] = v end
  end
  for k, v in pairs(variant.floss or {}) do M.floss[k] = v end
  M.extra_grid = variant.grid
  if variant.gains then M.gains = variant.gains end
  return M
end

-- Whether the variant (if any) runs this rule, task or sweep.
function M.wanted(kind, name)
  local only = M.variant and M.variant.only and M.variant.only[kind]
  if not only then return true end
  for _, x in ipairs(only) do if x == name then return true end end
  return false
end

function M.phase(rule, iterations)
  return { rule = M.rules[rule][1], params = M.rules[rule][2], iterations = iterations }
end

-- The loss of the best answer that is the same on every trial (it knows
-- when to answer, not what): the level a network that learned nothing of
-- the task sits at (task:constant_loss()).
M.constant_levels = {}
function M.constant_level(task)
  if not M.constant_levels[task] then
    M.constant_levels[task] = lab.task(M.tasks[task][1], M.tasks[task][2]):constant_loss()
  end
  return M.constant_levels[task]
end

-- A loss figure with the task's constant-answer level, and its accuracy
-- companion (the accuracy monitor, chance drawn at 50%).
function M.curves(sweep, file, title, from, task)
  if not M.lead then return nil end
  lab.mkdir(M.figures)
  local png = lab.plot.curves{ sweep = sweep, out = M.figures .. "/" .. file, by = "gain", select = "lr",
                               from = from or 0, title = title, level = M.constant_level(task or "romo"),
                               level_title = "same answer on every trial" }
  M.wrote(png)
  M.wrote(lab.plot.curves{ sweep = sweep, out = M.figures .. "/" .. file .. "_accuracy", by = "gain", select = "lr",
                           from = from or 0, title = title .. ": accuracy (%)", value = "accuracy.accuracy",
                           log_y = false, level = 50, level_title = "chance" })
  return png
end

return M
