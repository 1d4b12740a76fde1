// --threads: the pool runs every task once, and every pass split over
// threads gives bitwise the same result for 1, 2 and 3 threads (the packed
// products on an odd-sized matrix, whole gradients of the rules).
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <vector>

#include "packed_gemm.hpp"  // framework/src
#include "rnnlab/sdk/parallel.hpp"     // framework/src
#include "rnnlab/sdk/error.hpp"
#include "support.hpp"

using namespace rnnlab;

namespace {

bool same_bits(const arma::fmat& a, const arma::fmat& b) {
  return a.n_rows == b.n_rows && a.n_cols == b.n_cols &&
         std::memcmp(a.memptr(), b.memptr(), a.n_elem * sizeof(float)) == 0;
}

bool same_bits(const arma::vec& a, const arma::vec& b) {
  return a.n_elem == b.n_elem && std::memcmp(a.memptr(), b.memptr(), a.n_elem * sizeof(double)) == 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(threads)

BOOST_AUTO_TEST_CASE(every_task_runs_once) {
  for (int threads : {1, 2, 3}) {
    const parallel::ThreadsGuard guard(threads);
    BOOST_TEST(parallel::threads() == threads);
    for (std::size_t count : {0u, 1u, 2u, 7u, 64u}) {
      std::vector<std::atomic<int>> runs(count);
      parallel::for_each_task(count, [&](std::size_t i) {
        runs[i].fetch_add(1);
      });
      for (std::size_t i = 0; i < count; ++i)
        BOOST_TEST(runs[i].load() == 1, "task " << i << " of " << count << ", " << threads << " threads");
    }
  }
  BOOST_TEST(parallel::threads() == 1);  // the guards restored the default
}

BOOST_AUTO_TEST_CASE(many_short_calls_lose_and_repeat_no_task) {
  // Threads claiming each other's tasks call after call: every task of
  // every call exactly once, none of a call run after it returned.
  const parallel::ThreadsGuard guard(3);
  std::vector<std::atomic<int>> runs(17);
  int wrong = 0;
  for (int call = 1; call <= 3000; ++call) {
    parallel::for_each_task(runs.size(), [&](std::size_t i) { runs[i].fetch_add(1); });
    for (auto& r : runs) wrong += r.load() != call;
  }
  BOOST_TEST(wrong == 0);
}

BOOST_AUTO_TEST_CASE(the_workers_take_their_shares) {
  // Tasks long enough for a worker to wake: over 20 calls, the second
  // share must run on the worker at least once (the caller takes it over
  // only while the worker has not claimed it).
  const parallel::ThreadsGuard guard(2);
  int on_worker = 0;
  for (int call = 0; call < 20; ++call) {
    std::thread::id second;
    parallel::for_each_task(2, [&](std::size_t i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      if (i == 1) second = std::this_thread::get_id();
    });
    on_worker += second != std::this_thread::get_id();
  }
  BOOST_TEST(on_worker > 0);
  BOOST_TEST_MESSAGE("the worker ran its share in " << on_worker << " of 20 calls");
}

BOOST_AUTO_TEST_CASE(a_task_exception_reaches_the_caller_and_the_pool_goes_on) {
  const parallel::ThreadsGuard guard(2);
  BOOST_CHECK_THROW(parallel::for_each_task(4, [](std::size_t i) {
                      if (i == 1) throw std::runtime_error("task 1");
                    }),
                    std::runtime_error);
  std::atomic<int> done{0};
  parallel::for_each_task(4, [&](std::size_t) { done.fetch_add(1); });
  BOOST_TEST(done.load() == 4);
}

BOOST_AUTO_TEST_CASE(nested_calls_run_in_the_task) {
  const parallel::ThreadsGuard guard(2);
  std::atomic<int> inner{0};
  parallel::for_each_task(2, [&](std::size_t) {
    const auto self = std::this_thread::get_id();
    parallel::for_each_task(3, [&](std::size_t) {
      BOOST_TEST((std::this_thread::get_id() == self));
      inner.fetch_add(1);
    });
  });
  BOOST_TEST(inner.load() == 6);
  BOOST_CHECK_THROW(parallel::set_threads(0), Error);
}

BOOST_AUTO_TEST_CASE(packed_products_are_bitwise_the_same_for_any_thread_count) {
  if (!kernel::PackedMatrix::available()) {
    BOOST_TEST_MESSAGE("no AVX2/AVX-512 micro-kernel on this CPU: packed products unused, nothing to test");
    return;
  }
  arma::arma_rng::set_seed(11);
  // Odd sizes: a partial last panel, a partial last column block.
  for (arma::uword rows : {333u, 97u}) {
    const arma::uword inner = 211, n = 37;
    const arma::fmat A(rows, inner, arma::fill::randn);
    kernel::PackedMatrix packed, packed_t;
    packed.pack(A);
    {
      const parallel::ThreadsGuard guard(2);
      packed_t.pack(arma::fmat(A.t()), true);  // Aᵀᵀ, packed on 2 threads
    }
    const arma::fmat X(inner + 2, n, arma::fill::randn);
    const arma::fmat C0(rows + 1, n, arma::fill::randn);
    for (float beta : {0.0f, 1.0f}) {
      std::vector<arma::fmat> results;
      for (int threads : {1, 2, 3}) {
        const parallel::ThreadsGuard guard(threads);
        arma::fmat C = C0;
        std::vector<std::atomic<int>> done(rows);
        auto rows_done = [&](arma::uword begin, arma::uword end) {
          for (arma::uword i = begin; i < end; ++i) done[i].fetch_add(1);
        };
        packed.multiply(0.25f, X.memptr(), X.n_rows, n, beta, C.memptr(), C.n_rows, kernel::RowsRef(rows_done));
        for (arma::uword i = 0; i < rows; ++i) BOOST_TEST(done[i].load() == 1, "row " << i << ", " << threads << " threads");
        BOOST_TEST(same_bits(C.row(rows), C0.row(rows)));  // the row past the matrix is untouched
        const arma::fmat expected = 0.25f * A * X.rows(0, inner - 1) + beta * C0.rows(0, rows - 1);
        BOOST_TEST(arma::norm(C.rows(0, rows - 1) - expected, "fro") <= 1e-5f * arma::norm(expected, "fro"));
        results.push_back(C);
        arma::fmat Ct = C0;
        packed_t.multiply(0.25f, X.memptr(), X.n_rows, n, beta, Ct.memptr(), Ct.n_rows);
        BOOST_TEST(same_bits(Ct, C), "transposed packing, " << threads << " threads");
      }
      BOOST_TEST_CONTEXT(rows << " rows, beta " << beta) {
        BOOST_TEST(same_bits(results[0], results[1]));
        BOOST_TEST(same_bits(results[0], results[2]));
      }
    }
  }
}

// N = 300 takes the packed products and the column-block weight gradients
// (kernels.hpp); every rule's whole gradient must not depend on the count.
BOOST_AUTO_TEST_CASE(gradients_are_bitwise_the_same_for_any_thread_count) {
  Batch batch;
  test::builtin().make_task("romo", {{"batch", 5.0}})->generate(3, batch);
  for (Precision precision : {Precision::Single, Precision::Double}) {
    const Network net = with_precision(test::small_network(1, 300, 2, 1.2, 0.5, true), precision);
    const std::vector<std::pair<const char*, std::map<std::string, Value>>> rules = {
        {"bptt", {}}, {"bptt", {{"truncation", 3.0}}}, {"eprop", {}}, {"rflo", {}}};
    for (const auto& [name, params] : rules) {
      auto rule = test::builtin().make_rule(name, params);
      std::vector<Gradient> grads(3);
      for (int threads : {1, 2, 3}) {
        const parallel::ThreadsGuard guard(threads);
        rule->gradient(net, batch, grads[threads - 1]);
      }
      BOOST_TEST_CONTEXT(name << (params.empty() ? "" : " truncated") << ", " << to_string(precision)) {
        BOOST_TEST(grads[0].params.theta.is_finite());
        BOOST_TEST(arma::norm(grads[0].params.theta) > 0.0);
        BOOST_TEST(same_bits(grads[0].params.theta, grads[1].params.theta));
        BOOST_TEST(same_bits(grads[0].params.theta, grads[2].params.theta));
        BOOST_TEST(grads[0].loss == grads[1].loss);
        BOOST_TEST(grads[0].loss == grads[2].loss);
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
