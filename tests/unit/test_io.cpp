#include <boost/test/unit_test.hpp>

#include <hdf5.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <rnnlab/sdk/error.hpp>
#include <rnnlab/sdk/io.hpp>

#include "support.hpp"

using namespace rnnlab;

namespace {

// Dataset shape as h5py would report it.
std::vector<hsize_t> shape_in_file(const std::string& path, const std::string& name) {
  hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t d = H5Dopen2(f, name.c_str(), H5P_DEFAULT);
  hid_t s = H5Dget_space(d);
  std::vector<hsize_t> dims(static_cast<std::size_t>(H5Sget_simple_extent_ndims(s)));
  H5Sget_simple_extent_dims(s, dims.data(), nullptr);
  H5Sclose(s);
  H5Dclose(d);
  H5Fclose(f);
  return dims;
}

// Element [i][j] of a 2-d dataset read in C order.
double element(const std::string& path, const std::string& name, std::size_t i, std::size_t j) {
  const auto dims = shape_in_file(path, name);
  std::vector<double> data(dims[0] * dims[1]);
  hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  hid_t d = H5Dopen2(f, name.c_str(), H5P_DEFAULT);
  H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data());
  H5Dclose(d);
  H5Fclose(f);
  return data[i * dims[1] + j];
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

using Dims = std::vector<hsize_t>;

}  // namespace

BOOST_AUTO_TEST_SUITE(io)

BOOST_AUTO_TEST_CASE(network_round_trip_is_bit_exact_with_numpy_shapes) {
  const std::string dir = test::temp_dir("net");
  for (bool bias : {false, true}) {
    const Network net = test::small_network(3, 7, 2, 1.3, 0.25, bias, Activation::Tanh, 99);
    const std::string path = dir + (bias ? "/bias.h5" : "/plain.h5");
    save_network(path, net);
    BOOST_TEST(shape_in_file(path, "W_h") == Dims({7, 7}), boost::test_tools::per_element());
    BOOST_TEST(shape_in_file(path, "W_x") == Dims({7, 3}), boost::test_tools::per_element());
    BOOST_TEST(shape_in_file(path, "W_out") == Dims({2, 7}), boost::test_tools::per_element());
    BOOST_TEST(element(path, "W_h", 2, 5) == net.params().W_h(2, 5));  // row i, column j: from j to i
    BOOST_TEST(element(path, "W_x", 6, 1) == net.params().W_x(6, 1));
    if (bias) BOOST_TEST(shape_in_file(path, "b_out") == Dims({2}), boost::test_tools::per_element());
    const Network back = load_network(path);
    BOOST_TEST(arma::approx_equal(back.params().theta, net.params().theta, "absdiff", 0.0));
    BOOST_TEST(back.alpha() == net.alpha());
    BOOST_TEST(back.config().gain == net.config().gain);
    BOOST_TEST(back.config().seed == net.config().seed);
    BOOST_TEST(back.shape().bias == bias);
    BOOST_TEST((back.activation() == Activation::Tanh));
  }
}

BOOST_AUTO_TEST_CASE(batch_round_trip_with_numpy_shapes) {
  const std::string dir = test::temp_dir("batch");
  Batch b = test::random_batch(3, 2, 5, 11, LossKind::CrossEntropy);
  b.truth = {0, 1, 1, 0, 1};
  b.decision.zeros(5, 11);
  b.decision(3, 9) = 1.0;
  save_batch(dir + "/b.h5", b);
  BOOST_TEST(shape_in_file(dir + "/b.h5", "x") == Dims({11, 5, 3}), boost::test_tools::per_element());
  BOOST_TEST(shape_in_file(dir + "/b.h5", "y") == Dims({11, 5, 2}), boost::test_tools::per_element());
  BOOST_TEST(shape_in_file(dir + "/b.h5", "mask") == Dims({11, 5}), boost::test_tools::per_element());
  BOOST_TEST(element(dir + "/b.h5", "mask", 4, 2) == b.mask(2, 4));  // mask[t, b]
  const Batch back = load_batch(dir + "/b.h5");
  BOOST_TEST(arma::approx_equal(back.x, b.x, "absdiff", 0.0));
  BOOST_TEST(arma::approx_equal(back.y, b.y, "absdiff", 0.0));
  BOOST_TEST(arma::approx_equal(back.mask, b.mask, "absdiff", 0.0));
  BOOST_TEST((back.loss == LossKind::CrossEntropy));
  BOOST_TEST(back.task == "random");
  BOOST_TEST(back.dt == 10.0);
  BOOST_TEST(back.truth == b.truth, boost::test_tools::per_element());
  BOOST_TEST(arma::approx_equal(back.decision, b.decision, "absdiff", 0.0));
  BOOST_TEST(shape_in_file(dir + "/b.h5", "decision") == Dims({11, 5}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(gradient_file_shapes) {
  const std::string dir = test::temp_dir("grad");
  const Network net = test::small_network(2, 4, 3, 1.0, 0.5, true);
  const Batch batch = test::random_batch(2, 3, 2, 6, LossKind::MSE);
  GradientWorkspace ws;
  Gradient g;
  backprop_gradient(net, batch, nullptr, {}, ws, g);
  g.rule = "bptt";
  save_gradient(dir + "/g.h5", g, net.shape());
  BOOST_TEST(shape_in_file(dir + "/g.h5", "dW_h") == Dims({4, 4}), boost::test_tools::per_element());
  BOOST_TEST(shape_in_file(dir + "/g.h5", "dW_x") == Dims({4, 2}), boost::test_tools::per_element());
  BOOST_TEST(shape_in_file(dir + "/g.h5", "dW_out") == Dims({3, 4}), boost::test_tools::per_element());
  BOOST_TEST(shape_in_file(dir + "/g.h5", "db") == Dims({4}), boost::test_tools::per_element());
  BOOST_TEST(element(dir + "/g.h5", "dW_out", 2, 1) == g.params.W_out(2, 1));
}

BOOST_AUTO_TEST_CASE(bad_files_give_clear_errors) {
  const std::string dir = test::temp_dir("bad");
  BOOST_TEST(message_of([&] { load_network(dir + "/missing.h5"); }) ==
             "cannot read network '" + dir + "/missing.h5': no such file");
  std::ofstream(dir + "/text.h5") << "not hdf5";
  BOOST_TEST(message_of([&] { load_network(dir + "/text.h5"); }).find("not an HDF5 file") != std::string::npos);
  // A truncated copy of a real file.
  save_network(dir + "/net.h5", test::small_network(2, 30, 2, 1, 0.5, false));
  {
    std::ifstream in(dir + "/net.h5", std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream(dir + "/cut.h5", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  }
  BOOST_CHECK_THROW(load_network(dir + "/cut.h5"), IoError);
  save_batch(dir + "/batch.h5", test::random_batch(1, 1, 2, 3, LossKind::MSE));
  BOOST_TEST(message_of([&] { load_network(dir + "/batch.h5"); }) ==
             "'" + dir + "/batch.h5' is a batch file, not a network file");
  BOOST_TEST(message_of([&] { save_network(dir + "/no/such/dir/n.h5", test::small_network(1, 2, 1, 1, 0.5, false)); })
                 .find("does not exist") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(non_finite_weights_are_neither_loaded_nor_saved) {
  const std::string dir = test::temp_dir("nonfinite");
  save_network(dir + "/net.h5", test::small_network(2, 3, 2, 1, 0.5, false));
  {
    // W_x[1, 0] = NaN, written with the C API.
    hid_t f = H5Fopen((dir + "/net.h5").c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t d = H5Dopen2(f, "W_x", H5P_DEFAULT);
    std::vector<double> w(6);
    H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, w.data());
    w[1 * 2 + 0] = std::nan("");
    H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, w.data());
    H5Dclose(d);
    H5Fclose(f);
  }
  BOOST_TEST(message_of([&] { load_network(dir + "/net.h5"); }) ==
             "'" + dir + "/net.h5': dataset 'W_x' holds nan at [1, 0]; weights must be finite numbers");
  Network net = test::small_network(2, 3, 2, 1, 0.5, false);
  net.params().W_out(1, 2) = INFINITY;
  BOOST_TEST(message_of([&] { save_network(dir + "/inf.h5", net); }) ==
             "cannot write network '" + dir + "/inf.h5': W_out holds NaN or Inf; weights must be finite numbers");
  BOOST_TEST(!std::filesystem::exists(dir + "/inf.h5"));
}

BOOST_AUTO_TEST_CASE(writes_leave_no_temporary_files) {
  const std::string dir = test::temp_dir("atomic");
  save_network(dir + "/n.h5", test::small_network(1, 3, 1, 1, 0.5, false));
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    (void)e;
    ++files;
  }
  BOOST_TEST(files == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
