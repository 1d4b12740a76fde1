-- Fixed points of a network trained on a task, drawn with the network's
-- trajectories on the first two principal components of its states
-- (docs/figures/fixed_points_romo.png), with the dimensionality of its
-- activity (pca) and how far training moved its weights (weight_change).
--   rnnlab run scripts/fixed_points.lua [--out docs/figures] [--set task=romo]
--     [--set activation=tanh] [--set iterations=500] [--set input=zero]
local out = lab.args.out or "docs/figures"
local name = lab.args.task or "romo"
local activation = lab.args.activation or "tanh"
local iterations = lab.args.iterations or 500
lab.mkdir(out)

local task = lab.task(name, {})
local net = lab.network{ inputs = task.inputs, hidden = 64, outputs = task.outputs, dt = task.dt, tau = 100,
                         gain = 1.0, seed = 1, activation = activation }
local r = lab.train{ net = net, task = task, rule = "bptt", optimizer = { "adam", { lr = 1e-3 } },
                     iterations = iterations, quiet = true }
print(string.format("%s, %s, N = 64: loss %.4g after %d BPTT iterations", name, activation, r.final_loss, iterations))

local input = lab.args.input or "zero"
local fp = lab.analysis("fixed_points", { input = input }):run(net, task)
print(string.format("%d fixed points (%d stable) from %d of %d starts", fp.count, fp.stable_count,
                    fp.converged_starts, fp.starts))
print("  q           max |mu|   unstable dims   PC1      PC2")
for i = 1, fp.count do
  print(string.format("  %-10.3g  %-9.4f  %-14d  %-7.3f  %.3f", fp.q[i], fp.max_abs_eigenvalue[i],
                      fp.unstable_dimensions[i], fp.pc1[i], fp.pc2[i]))
end
local p = lab.analysis("pca", {}):run(net, task)
print(string.format("activity: participation ratio %.2f, %d components for 90%% of the variance",
                    p.participation_ratio, p.dimensions_90))
local w = lab.analysis("weight_change", {}):run(net, task)
print(string.format("weights: |dW_h|/|W_h(0)| = %.3f, effective rank of dW_h %.1f, sign agreement %.3f, CKA %.3f",
                    w.W_h_change, w.W_h_delta_effective_rank, w.W_h_sign_agreement, w.kernel_alignment))

local png = lab.plot.fixed_points(fp, { out = out .. "/fixed_points_" .. name,
  title = string.format("%s, %s, N = 64, after %d BPTT iterations: %d fixed points (input %s)",
                        name, activation, iterations, fp.count, input) })
print("wrote " .. png)
