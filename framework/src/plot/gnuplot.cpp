#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "rnnlab/error.hpp"
#include "rnnlab/plot.hpp"

namespace rnnlab {

void prepare_plot_output(const std::string& out) {
  const std::filesystem::path parent = std::filesystem::path(out).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) throw IoError("cannot create '" + parent.string() + "': " + ec.message());
}

void run_gnuplot(const std::string& script, const std::string& script_path) {
  {
    std::ofstream f(script_path);
    f << script;
    if (!f) throw IoError("cannot write '" + script_path + "'");
  }
  const std::string log = script_path + ".log";
  const std::string command = "gnuplot '" + script_path + "' > '" + log + "' 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  std::error_code ec;
  std::filesystem::remove(log, ec);
  if (status != 0) {
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
      throw Error("gnuplot not found; install it with 'apt-get install gnuplot-nox'");
    throw Error("gnuplot failed on '" + script_path + "': " + text.str());
  }
  // gnuplot reports some problems as warnings with status 0: treat as errors.
  if (text.str().find("warning") != std::string::npos || text.str().find("error") != std::string::npos)
    throw Error("gnuplot reported a problem with '" + script_path + "': " + text.str());
}

}  // namespace rnnlab
