#pragma once
// Principal components of a set of samples (the columns of a matrix), the
// shared maths of the `pca` and `fixed_points` analyses and of `weights`'
// participation ratio.
#include <armadillo>
#include "rnnlab/sdk/export.hpp"

namespace rnnlab {

/// Principal components of the n samples held in the columns of X (D × n):
///   mean = (1/n) Σ_j X[:, j],   C = (1/(n−1)) Σ_j (X[:, j] − mean)(X[:, j] − mean)ᵀ
/// (1/n for n = 1), and its eigendecomposition C = axes · diag(variances) · axesᵀ.
/// `variances` (D) are in descending order, negative round-off clamped to 0;
/// `axes` (D × D) has orthonormal columns, each with its entry of largest
/// modulus positive, so that the result is the same on every machine.
/// Throws Error if X has no samples or is not finite.
RNNLAB_EXPORT void principal_components(const arma::mat& X, arma::vec& mean, arma::vec& variances, arma::mat& axes);

/// Coordinates of the samples X (D × n) on the first k axes: axes(:, 0..k−1)ᵀ (X − mean), k × n.
RNNLAB_EXPORT arma::mat project_on_components(const arma::mat& X, const arma::vec& mean, const arma::mat& axes, arma::uword k);

/// Participation ratio (Σ λ)² / Σ λ² of the variances λ: the effective
/// number of dimensions, between 1 (one direction) and D (isotropic).
/// NaN when every variance is 0.
RNNLAB_EXPORT double participation_ratio(const arma::vec& variances);

/// The same from a covariance matrix without its eigenvalues:
/// tr(C)² / ‖C‖_F² (= (Σ λ)² / Σ λ² for symmetric C). NaN for C = 0.
RNNLAB_EXPORT double covariance_participation_ratio(const arma::mat& C);

}  // namespace rnnlab
