#pragma once
// Forward-in-time gradients of eq. 1: real-time recurrent learning (RTRL),
// its sparse approximation SnAp-1 and its rank-one estimate UORO, and the
// seed of a stochastic rule's noise. The shared maths of the rules `rtrl`,
// `snap` and `uoro`.
//
// All three carry an influence matrix M[t] = ∂h[t]/∂θ forward in time over
// the recurrent parameters θ = (W_h, W_x, b), in that order, each block
// column-major as in ParameterBlocks:
//   M[t+1] = J[t] M[t] + F[t],   M[0] = 0,
//   J[t] = α I + (1−α) W_h D[t],  D[t] = diag f'(h[t]),
//   F[t] = (1−α) ( r̃[t]ᵀ ⊗ I ),   r̃[t] = [f(h[t]); x[t]; 1 (with biases)],
// (F[t] is the immediate influence: ∂h_i[t+1]/∂W_h[i,j] = (1−α) f(h_j[t]),
// and likewise for W_x and b), and sum the gradient
//   dθ = Σ_t e[t]ᵀ M[t+1],   e[t] = D[t+1] (W_outᵀ δ[t]),
// where δ[t] = ∂L/∂ŷ[t]. The readout gradients (W_out, b_out) are exact.
// Each runs in the network's precision and returns a double gradient,
// filling out.params and out.loss.
#include <cstdint>

#include "rnnlab/sdk/dynamics.hpp"
#include "rnnlab/sdk/export.hpp"

namespace rnnlab {

/// Which entries of the influence matrix a rule keeps.
enum class Influence {
  Full,     ///< all of M (exact RTRL): O(N⁴) time per step and trial; M is carried in blocks of rows (memory O(NQ) plus one block)
  Diagonal  ///< only ∂h_i/∂θ for the parameters of unit i (SnAp-1): O(N²) per step and trial
};

/// RTRL (Influence::Full) or SnAp-1 (Influence::Diagonal). SnAp-1 keeps
/// M_i,(i,·) and drops the rest after every step:
///   S_i,(i,q)[t+1] = J_ii[t] S_i,(i,q)[t] + (1−α) r̃_q[t],  J_ii = α + (1−α) W_h[i,i] f'(h_i[t]),
/// which equals RTRL when W_h is diagonal.
RNNLAB_EXPORT void influence_gradient(const Network& net, const Batch& batch, Influence pattern, GradientWorkspace& ws,
                        Gradient& out);

/// UORO (Tallec & Ollivier 2017): M[t] ≈ h̃[t] θ̃[t]ᵀ per trial, from
/// h̃[0] = 0, θ̃[0] = 0 and, with fresh random signs ν ∈ {−1, 1}^N at each step,
///   h̃ ← ρ₀ J[t] h̃ + ρ₁ ν,   θ̃ ← θ̃/ρ₀ + (νᵀ F[t])/ρ₁,
///   ρ₀ = √(‖θ̃‖/‖J h̃‖),  ρ₁ = √(‖νᵀF[t]‖/‖ν‖)   (1 where a norm is 0),
///   dθ += (e[t]ᵀ h̃[t+1]) θ̃[t+1].
/// E[h̃ θ̃ᵀ] = M at every step, so the expected gradient is RTRL's. The
/// signs come from Rng(seed): the same seed gives the same bits.
RNNLAB_EXPORT void uoro_gradient(const Network& net, const Batch& batch, std::uint64_t seed, GradientWorkspace& ws,
                   Gradient& out);

/// The seed of a stochastic rule's noise on `batch`: derived from `seed`
/// (the rule's phase seed) and the bytes of the batch's inputs, targets and
/// mask. The same batch gives the same draw, as the rule contract asks, and
/// every other batch a fresh one, with no state carried between calls.
RNNLAB_EXPORT std::uint64_t batch_seed(std::uint64_t seed, const Batch& batch);

}  // namespace rnnlab
