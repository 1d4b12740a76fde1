#include "rnnlab/sdk/pca.hpp"

#include <cmath>
#include <limits>

#include "rnnlab/sdk/error.hpp"

namespace rnnlab {

void principal_components(const arma::mat& X, arma::vec& mean, arma::vec& variances, arma::mat& axes) {
  if (X.n_cols == 0) throw Error("principal components: no samples");
  if (!X.is_finite()) throw Error("principal components: the samples are not finite");
  const double n = static_cast<double>(X.n_cols);
  mean = arma::mean(X, 1);
  const arma::mat centred = X.each_col() - mean;
  const arma::mat C = (centred * centred.t()) / (X.n_cols > 1 ? n - 1.0 : 1.0);
  arma::vec values;
  arma::mat vectors;
  if (!arma::eig_sym(values, vectors, arma::symmatu(C)))
    throw Error("principal components: the eigendecomposition of the covariance did not converge");
  // eig_sym returns ascending eigenvalues: reverse to descending.
  variances = arma::flipud(values);
  axes = arma::fliplr(vectors);
  variances.transform([](double v) { return v > 0 ? v : 0.0; });
  for (arma::uword j = 0; j < axes.n_cols; ++j) {
    const arma::uword i = arma::index_max(arma::abs(axes.col(j)));
    if (axes(i, j) < 0) axes.col(j) *= -1.0;
  }
}

arma::mat project_on_components(const arma::mat& X, const arma::vec& mean, const arma::mat& axes, arma::uword k) {
  if (k > axes.n_cols) throw Error("principal components: " + std::to_string(k) + " components asked, " +
                                   std::to_string(axes.n_cols) + " available");
  if (k == 0) return arma::mat(0, X.n_cols);
  return axes.cols(0, k - 1).t() * (X.each_col() - mean);
}

double participation_ratio(const arma::vec& variances) {
  const double squares = arma::accu(arma::square(variances));
  if (!(squares > 0)) return std::numeric_limits<double>::quiet_NaN();
  const double sum = arma::accu(variances);
  return sum * sum / squares;
}

double covariance_participation_ratio(const arma::mat& C) {
  const double squares = arma::accu(arma::square(C));
  if (!(squares > 0)) return std::numeric_limits<double>::quiet_NaN();
  const double trace = arma::trace(C);
  return trace * trace / squares;
}

}  // namespace rnnlab
