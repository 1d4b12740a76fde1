// precision = single runs the same pipeline in float: every rule's gradient
// must agree with its double-precision gradient to float accuracy, block by
// block, and the precision must survive a save/load round trip.
#include <boost/test/unit_test.hpp>

#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/io.hpp>

#include "packed_gemm.hpp"  // framework/src: the micro-kernels behind single-precision passes
#include "support.hpp"

using namespace rnnlab;

namespace {

struct Case {
  const char* rule;
  std::map<std::string, Value> params;
};

// ‖a − b‖ / ‖b‖ per parameter block; blocks with a zero reference are skipped.
double worst_block_error(const ParameterBlocks& a, const ParameterBlocks& b) {
  double worst = 0;
  auto check = [&](const arma::mat& x, const arma::mat& y) {
    if (arma::norm(y, "fro") > 0) worst = std::max(worst, test::relative_error(x, y));
  };
  check(a.W_h, b.W_h);
  check(a.W_x, b.W_x);
  check(a.W_out, b.W_out);
  if (a.shape().bias) {
    check(a.b, b.b);
    check(a.b_out, b.b_out);
  }
  return worst;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(precision)

BOOST_AUTO_TEST_CASE(single_precision_gradients_agree_with_double) {
  const std::vector<Case> cases = {
      {"bptt", {}},
      {"bptt", {{"truncation", 3.0}}},
      {"eprop", {}},
      {"eprop", {{"trace", std::string("none")}}},
      {"eprop", {{"feedback", std::string("random")}}},
      {"rflo", {}},
  };
  Batch batch;
  test::builtin().make_task("romo", {{"batch", 8.0}})->generate(4, batch);
  double worst = 0, worst_loss = 0;
  for (const auto& c : cases) {
    for (bool bias : {false, true}) {
      for (Activation act : {Activation::ReLU, Activation::Tanh}) {
        for (double gain : {0.5, 1.5}) {
          BOOST_TEST_CONTEXT(c.rule << " bias " << bias << " " << to_string(act) << " gain " << gain) {
            const Network exact = test::small_network(1, 24, 2, gain, 0.5, bias, act, 9);
            const Network fast = with_precision(exact, Precision::Single);
            BOOST_TEST((fast.precision() == Precision::Single));
            BOOST_TEST(arma::approx_equal(fast.params().theta, exact.params().theta, "absdiff", 0.0));
            Gradient g_single, g_double;
            auto rule = test::builtin().make_rule(c.rule, c.params);
            rule->begin(exact, 11);
            rule->gradient(exact, batch, g_double);
            rule->gradient(fast, batch, g_single);
            const double err = worst_block_error(g_single.params, g_double.params);
            const double loss_err = std::abs(g_single.loss - g_double.loss) / std::abs(g_double.loss);
            BOOST_TEST(err < 1e-4);
            BOOST_TEST(loss_err < 1e-5);
            // ...and not bitwise: the single path really ran in float.
            BOOST_TEST(err > 0.0);
            worst = std::max(worst, err);
            worst_loss = std::max(worst_loss, loss_err);
          }
        }
      }
    }
  }
  BOOST_TEST_MESSAGE("single vs double: worst block relative error " << worst << ", loss " << worst_loss);
}

BOOST_AUTO_TEST_CASE(large_networks_agree_with_double_too) {
  // N >= 128 runs the per-step products through the packed W_h and W_hᵀ
  // (on AVX2/AVX-512 machines); 150 rows leave a partial panel and 13
  // trials a partial column block.
  Batch batch;
  test::builtin().make_task("romo", {{"batch", 13.0}})->generate(8, batch);
  double worst = 0;
  for (const auto& [rule_name, params] : std::vector<Case>{{"bptt", {}}, {"bptt", {{"truncation", 2.0}}}, {"eprop", {}}}) {
    BOOST_TEST_CONTEXT(rule_name) {
      const Network exact = test::small_network(1, 150, 2, 1.2, 0.5, true, Activation::Tanh, 4);
      const Network fast = with_precision(exact, Precision::Single);
      auto rule = test::builtin().make_rule(rule_name, params);
      Gradient g_single, g_double;
      rule->gradient(exact, batch, g_double);
      rule->gradient(fast, batch, g_single);
      const double err = worst_block_error(g_single.params, g_double.params);
      BOOST_TEST(err < 1e-4);
      worst = std::max(worst, err);
    }
  }
  BOOST_TEST_MESSAGE("N = 150, single vs double: worst block relative error " << worst);
}

BOOST_AUTO_TEST_CASE(packed_products_equal_blas_at_every_edge) {
  if (!kernel::PackedMatrix::available()) {
    BOOST_TEST_MESSAGE("no AVX2/AVX-512 micro-kernel on this CPU: packed products unused, nothing to test");
    return;
  }
  arma::arma_rng::set_seed(5);
  kernel::PackedMatrix packed;
  for (arma::uword rows : {1u, 15u, 16u, 17u, 32u, 33u, 70u}) {
    for (arma::uword inner : {1u, 7u, 64u}) {
      const arma::fmat A(rows, inner, arma::fill::randn);
      packed.pack(A);
      for (arma::uword n : {1u, 5u, 6u, 8u, 9u, 13u, 32u}) {
        for (float beta : {0.0f, 1.0f}) {
          const arma::fmat X(inner + 3, n, arma::fill::randn);  // leading dimension larger than inner
          arma::fmat C(rows + 2, n, arma::fill::randn);
          const arma::fmat before = C;
          packed.multiply(0.5f, X.memptr(), X.n_rows, n, beta, C.memptr(), C.n_rows);
          const arma::fmat expected = 0.5f * A * X.rows(0, inner - 1) + beta * before.rows(0, rows - 1);
          BOOST_TEST_CONTEXT(rows << "×" << inner << " · " << inner << "×" << n << ", beta " << beta) {
            // float sums in another order: equal to rounding, relative to the result's size
            const arma::fmat diff = C.rows(0, rows - 1) - expected;
            BOOST_TEST(arma::norm(diff, "fro") <= 1e-5f * std::max(arma::norm(expected, "fro"), 1.0f));
            BOOST_TEST(arma::approx_equal(C.rows(rows, rows + 1), before.rows(rows, rows + 1), "absdiff", 0.0f));
          }
        }
      }
    }
  }
}

// kernel::product, the micro-kernels behind every other product of a
// single-precision pass: against a double-precision reference at every
// edge (partial row panels, partial column blocks, one step and several
// blocks of 256 steps, operands copied into blocks at strides of 256 and
// more), with X given as is or transposed, beta 0 and 1, and leading
// dimensions larger than the matrices; rows and columns outside C are
// left alone.
BOOST_AUTO_TEST_CASE(own_products_equal_a_double_reference_at_every_edge) {
  if (!kernel::PackedMatrix::available()) {
    BOOST_TEST_MESSAGE("no AVX2/AVX-512 micro-kernel on this CPU: BLAS runs these products, nothing to test");
    return;
  }
  arma::arma_rng::set_seed(11);
  double worst = 0;
  for (arma::uword m : {1u, 3u, 16u, 17u, 32u, 33u, 70u, 300u}) {
    for (arma::uword k : {0u, 1u, 9u, 256u, 600u}) {
      for (arma::uword n : {1u, 6u, 8u, 9u, 20u, 270u}) {
        if (m * k * n > 8000000) continue;
        for (bool xt : {false, true}) {
          for (float beta : {0.0f, 1.0f}) {
            const arma::fmat A(m + 2, k, arma::fill::randn);  // lda = m + 2
            const arma::fmat X = xt ? arma::fmat(n + 1, k, arma::fill::randn) : arma::fmat(k + 3, n, arma::fill::randn);
            arma::fmat C(m + 1, n + 1, arma::fill::randn);
            const arma::fmat before = C;
            kernel::product(m, n, k, 0.5f, A.memptr(), A.n_rows, X.memptr(), X.n_rows, xt, beta, C.memptr(), C.n_rows);
            arma::mat expected(m, n, arma::fill::zeros);
            if (k > 0) {  // (empty subviews trip UBSan inside Armadillo)
              const arma::mat a = arma::conv_to<arma::mat>::from(A.rows(0, m - 1));
              const arma::mat x = arma::conv_to<arma::mat>::from(xt ? arma::fmat(X.rows(0, n - 1).t())
                                                                    : arma::fmat(X.rows(0, k - 1)));
              expected = 0.5 * a * x;
            }
            if (beta != 0.0f) expected += arma::conv_to<arma::mat>::from(before.submat(0, 0, m - 1, n - 1));
            BOOST_TEST_CONTEXT(m << "×" << k << " · " << k << "×" << n << (xt ? " (Xᵀ)" : "") << ", beta " << beta) {
              // float rounding of sums of k products of size about 1
              const double scale = std::sqrt(static_cast<double>(k) + 1.0);
              const double err = arma::abs(arma::conv_to<arma::mat>::from(C.submat(0, 0, m - 1, n - 1)) - expected).max();
              BOOST_TEST(err <= 1e-5 * scale);  // measured: at most 1.5e-6 · scale
              worst = std::max(worst, err / scale);
              BOOST_TEST(arma::approx_equal(C.row(m), before.row(m), "absdiff", 0.0f));
              BOOST_TEST(arma::approx_equal(C.col(n), before.col(n), "absdiff", 0.0f));
            }
          }
        }
      }
    }
  }
  BOOST_TEST_MESSAGE("own products vs double: worst error / sqrt(k + 1) " << worst);
}

// The same columns of C from a product over all of them and from products
// over blocks of them (as the thread tasks split the weight gradients):
// bitwise the same, so results do not depend on the split.
BOOST_AUTO_TEST_CASE(own_products_do_not_depend_on_the_split_of_columns) {
  if (!kernel::PackedMatrix::available()) return;
  arma::arma_rng::set_seed(12);
  for (bool xt : {false, true}) {
    const arma::uword m = 300, k = 700, n = 300;  // strides of 300: operands copied into blocks
    const arma::fmat A(m, k, arma::fill::randn);
    const arma::fmat X = xt ? arma::fmat(n, k, arma::fill::randn) : arma::fmat(k, n, arma::fill::randn);
    arma::fmat whole(m, n), parts(m, n);
    kernel::product(m, n, k, 1.0f, A.memptr(), m, X.memptr(), X.n_rows, xt, 0.0f, whole.memptr(), m);
    for (arma::uword begin = 0; begin < n; begin += 128) {
      const arma::uword width = std::min<arma::uword>(128, n - begin);
      const float* x = xt ? X.memptr() + begin : X.colptr(begin);
      kernel::product(m, width, k, 1.0f, A.memptr(), m, x, X.n_rows, xt, 0.0f, parts.colptr(begin), m);
    }
    BOOST_TEST(arma::approx_equal(whole, parts, "absdiff", 0.0f), (xt ? "Xᵀ" : "X"));
  }
}

BOOST_AUTO_TEST_CASE(single_precision_is_deterministic) {
  const Network net = with_precision(test::small_network(1, 16, 2, 1.0, 0.5, true), Precision::Single);
  Batch batch;
  test::builtin().make_task("romo", {{"batch", 4.0}})->generate(2, batch);
  for (const char* name : {"bptt", "eprop"}) {
    auto rule = test::builtin().make_rule(name, {});
    Gradient a, b;
    rule->gradient(net, batch, a);
    rule->gradient(net, batch, b);
    BOOST_TEST(arma::approx_equal(a.params.theta, b.params.theta, "absdiff", 0.0), name);
  }
}

BOOST_AUTO_TEST_CASE(weights_beyond_float_range_give_a_non_finite_loss_in_single) {
  Network exact = test::small_network(1, 6, 2, 1.0, 0.5, false);
  exact.params().W_out(0, 0) = 1e39;  // finite in double, inf in float
  const Network fast = with_precision(exact, Precision::Single);
  Batch batch;
  test::builtin().make_task("romo", {{"batch", 2.0}})->generate(1, batch);
  auto rule = test::builtin().make_rule("bptt", {});
  Gradient g;
  rule->gradient(fast, batch, g);
  BOOST_TEST(std::isnan(g.loss));
  BOOST_TEST(!g.params.theta.is_finite());
  rule->gradient(exact, batch, g);
  BOOST_TEST(std::isfinite(g.loss));
}

BOOST_AUTO_TEST_CASE(precision_is_a_network_parameter_and_survives_files) {
  ParamSet p = ParamSet::validate(Network::specs(), {{"alpha", 0.5}}, "network");
  BOOST_TEST((Network::config_from(p).precision == Precision::Single));  // the default
  p = ParamSet::validate(Network::specs(), {{"alpha", 0.5}, {"precision", std::string("double")}}, "network");
  BOOST_TEST((Network::config_from(p).precision == Precision::Double));
  BOOST_CHECK_THROW(precision_from_string("half"), Error);

  const std::string dir = test::temp_dir("precision");
  for (Precision precision : {Precision::Single, Precision::Double}) {
    const Network net = with_precision(test::small_network(1, 4, 2, 1.0, 0.5, false), precision);
    save_network(dir + "/net.h5", net);
    BOOST_TEST((load_network(dir + "/net.h5").precision() == precision));
  }
}

BOOST_AUTO_TEST_SUITE_END()
