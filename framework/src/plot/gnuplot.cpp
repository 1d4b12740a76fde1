#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "rnnlab/sdk/error.hpp"
#include "gnuplot.hpp"
#include "rnnlab/app/plot.hpp"

namespace rnnlab {

namespace {

bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }

}  // namespace

std::string prepare_plot_output(const std::string& out) {
  if (out.empty()) throw Error("plot: the output path is empty");
  for (char c : out)
    if (is_control(c))
      throw Error("plot: the output path '" + gnuplot_text(out) + "' holds a control character; choose another name");
  // Absolute: gnuplot reads a file name that starts with '<' as a command
  // to run, and one that starts with '|' as a command to write to.
  std::error_code ec;
  const std::filesystem::path path = std::filesystem::absolute(out, ec).lexically_normal();
  if (ec) throw IoError("cannot resolve '" + out + "': " + ec.message());
  if (!path.parent_path().empty()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) throw IoError("cannot create '" + std::filesystem::path(out).parent_path().string() + "': " + ec.message());
  return path.string();
}

void run_gnuplot(const std::string& script, const std::string& script_path) {
  {
    std::ofstream f(script_path);
    f << script;
    if (!f) throw IoError("cannot write '" + script_path + "'");
  }
  const std::string log = script_path + ".log";
  // gnuplot SCRIPT > LOG 2>&1, without a shell (paths may hold any character).
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::string program = "gnuplot";
  char* argv[] = {program.data(), const_cast<char*>(script_path.c_str()), nullptr};
  pid_t pid = 0;
  const int spawn_error = posix_spawnp(&pid, "gnuplot", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error == ENOENT) throw Error("gnuplot not found; install it with 'apt-get install gnuplot-nox'");
  if (spawn_error) throw Error(std::string("cannot start gnuplot: ") + std::strerror(spawn_error));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
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

std::string gnuplot_text(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (is_control(c)) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

std::string gnuplot_quote(const std::string& s) {
  // In a single-quoted gnuplot string nothing is special but the quote
  // itself (no backquote command substitution, no @macros, no escapes);
  // only a line break could end the command, so none gets through.
  std::string out = "'";
  for (char c : gnuplot_text(s)) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

}  // namespace rnnlab
