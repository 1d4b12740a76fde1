// Trial loads of plugin libraries in a child process, and the cache of
// their verdicts.
//
// Why a fresh process (posix_spawn + exec of a helper) and not fork():
// rnnlab has threads before main() even starts (OpenBLAS starts its pool in
// a static initialiser) and lab.load_plugins runs in the middle of a
// script. After fork() in a threaded process the child may only call
// async-signal-safe functions until it execs, and dlopen(), malloc() and
// every C++ static initialiser are not: a lock held by another thread at
// the moment of the fork stays locked forever in the child. A freshly
// exec'ed helper has no such inheritance, gets the same environment and
// dynamic linker as rnnlab, and posix_spawn is safe to call from a threaded
// process. The helper (rnnlab-plugin-probe, in <libdir>/rnnlab/, found
// beside librnnlab) runs the very loader rnnlab uses (run_plugin_library)
// into a throwaway registrar and writes one line to fd 3: "ok N" or
// "fail REASON". No line, and the child's exit status tells what happened:
// a signal, an exit(N) call, or a hang (killed after the time-out).
#include "plugin_probe.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "rnnlab/sdk/abi.hpp"
#include "rnnlab/sdk/registry.hpp"
#include "rnnlab/sdk/version.hpp"

extern char** environ;

namespace rnnlab::probe {
namespace fs = std::filesystem;

FileKey FileKey::of(const struct stat& st) {
  FileKey k;
  k.dev = static_cast<std::uint64_t>(st.st_dev);
  k.ino = static_cast<std::uint64_t>(st.st_ino);
  k.size = static_cast<std::uint64_t>(st.st_size);
  k.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  k.ctime_ns = static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
  return k;
}

namespace {

// The file librnnlab was loaded from ("" if unknown).
std::string librnnlab_path() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&helper_main), &info) == 0 || !info.dli_fname) return "";
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(info.dli_fname, ec);
  return ec ? std::string(info.dli_fname) : p.string();
}

std::string helper_path() {
  const std::string lib = librnnlab_path();
  if (lib.empty()) return "rnnlab-plugin-probe";
  return (fs::path(lib).parent_path() / "rnnlab" / "rnnlab-plugin-probe").string();
}

double timeout_seconds() {
  if (const char* env = std::getenv("RNNLAB_PLUGIN_PROBE_TIMEOUT")) {
    char* end = nullptr;
    const double s = std::strtod(env, &end);
    if (end != env && *end == '\0' && s > 0 && s < 1e6) return s;
  }
  return 10.0;
}

const char* signal_name(int sig) {
  switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGABRT: return "SIGABRT";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGTRAP: return "SIGTRAP";
    case SIGSYS: return "SIGSYS";
    case SIGKILL: return "SIGKILL";
    case SIGTERM: return "SIGTERM";
    case SIGINT: return "SIGINT";
    case SIGHUP: return "SIGHUP";
    case SIGQUIT: return "SIGQUIT";
    case SIGPIPE: return "SIGPIPE";
    default: return nullptr;
  }
}

std::string describe_signal(int sig) {
  const char* name = signal_name(sig);
  return name ? std::string(name) : "signal " + std::to_string(sig);
}

// Signals sent from outside (Ctrl-C, kill): the plugin is not to blame, so
// such a verdict is not remembered.
bool external_signal(int sig) {
  return sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT || sig == SIGKILL;
}

// Moves a descriptor to 10 or above (close-on-exec), so that dup2 onto
// 0..3 in the child never meets an equal descriptor.
int move_high(int fd) {
  if (fd >= 10) return fd;
  const int high = fcntl(fd, F_DUPFD_CLOEXEC, 10);
  if (high < 0) return fd;
  close(fd);
  return high;
}

// Reads what is there; `open` becomes false at end of file or on error.
void read_some(int fd, std::string& into, bool& open, std::size_t keep_tail) {
  char buf[4096];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) {
      into.append(buf, static_cast<std::size_t>(n));
      if (into.size() > 2 * keep_tail) into.erase(0, into.size() - keep_tail);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    open = false;
    return;
  }
}

// The last two non-empty lines the child printed, for a crash report.
std::string output_note(const std::string& output) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < output.size()) {
    std::size_t end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    std::string line = output.substr(start, end - start);
    line.erase(0, line.find_first_not_of(" \t\r"));
    line.erase(line.find_last_not_of(" \t\r") + 1);
    if (!line.empty()) lines.push_back(line);
    start = end + 1;
  }
  if (lines.empty()) return "";
  std::string note = lines.back();
  if (lines.size() > 1) note = lines[lines.size() - 2] + "; " + note;
  for (char& c : note)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  if (note.size() > 240) note = note.substr(0, 237) + "...";
  return " (it printed: " + note + ")";
}

std::vector<std::string> child_environment() {
  std::vector<std::string> env;
  std::string asan;
  for (char** e = environ; e && *e; ++e) {
    const std::string var = *e;
    if (var.rfind("OPENBLAS_NUM_THREADS=", 0) == 0 || var.rfind("OMP_NUM_THREADS=", 0) == 0) continue;
    if (var.rfind("ASAN_OPTIONS=", 0) == 0) {
      asan = var.substr(13);
      continue;
    }
    env.push_back(var);
  }
  // A trial load needs no BLAS thread pool.
  env.push_back("OPENBLAS_NUM_THREADS=1");
  env.push_back("OMP_NUM_THREADS=1");
#if defined(__SANITIZE_ADDRESS__)
  // Under AddressSanitizer a plugin's segfault must still kill the child
  // with SIGSEGV (ASan would report it and exit or abort), and a plugin
  // that calls exit() must not be reported as a leak.
  asan += std::string(asan.empty() ? "" : ":") + "handle_segv=0:handle_sigbus=0:handle_sigfpe=0:detect_leaks=0";
#endif
  if (!asan.empty()) env.push_back("ASAN_OPTIONS=" + asan);
  return env;
}

}  // namespace

Verdict run(const std::string& file) {
  const std::string helper = helper_path();
  const double timeout = timeout_seconds();
  int result[2], output[2];
  if (pipe2(result, O_CLOEXEC) != 0) return {false, std::string("could not start the plugin probe: ") + std::strerror(errno), false};
  if (pipe2(output, O_CLOEXEC) != 0) {
    const int err = errno;
    close(result[0]);
    close(result[1]);
    return {false, std::string("could not start the plugin probe: ") + std::strerror(err), false};
  }
  for (int* fd : {&result[0], &result[1], &output[0], &output[1]}) *fd = move_high(*fd);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, output[1], 1);
  posix_spawn_file_actions_adddup2(&actions, output[1], 2);
  posix_spawn_file_actions_adddup2(&actions, result[1], 3);
  std::vector<std::string> env = child_environment();
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string arg0 = helper, arg1 = file;
  char* argv[] = {arg0.data(), arg1.data(), nullptr};
  // Default dispositions and no blocked signals, whatever the caller has:
  // an ignored or blocked SIGSEGV would change what a faulty plugin does.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, helper.c_str(), &actions, &attr, argv, envp.data());
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  close(result[1]);
  close(output[1]);
  if (spawned != 0) {
    close(result[0]);
    close(output[0]);
    return {false, "could not start the plugin probe '" + helper + "': " + std::strerror(spawned), false};
  }
  fcntl(result[0], F_SETFL, O_NONBLOCK);
  fcntl(output[0], F_SETFL, O_NONBLOCK);

  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout));
  std::string record, out;
  bool result_open = true, output_open = true, timed_out = false;
  // Until the child closes fd 3 (it sets close-on-exec on it, so only its
  // own end, at exit, closes it) or the time is up.
  while (result_open) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd fds[2] = {{result[0], POLLIN, 0}, {output_open ? output[0] : -1, POLLIN, 0}};
    if (poll(fds, 2, static_cast<int>(std::min<long long>(left, 1000))) < 0 && errno != EINTR) {
      timed_out = true;
      break;
    }
    if (fds[0].revents) read_some(result[0], record, result_open, 1 << 16);
    if (fds[1].revents) read_some(output[0], out, output_open, 4096);
  }
  if (output_open) read_some(output[0], out, output_open, 4096);  // what was written before the end
  close(result[0]);
  close(output[0]);
  int status = 0;
  bool reaped = false;
  for (;;) {
    if (timed_out) kill(pid, SIGKILL);
    const pid_t done = waitpid(pid, &status, timed_out ? 0 : WNOHANG);
    if (done == pid) {
      reaped = true;
      break;
    }
    if (done < 0 && errno != EINTR) break;  // e.g. SIGCHLD ignored by the host program
    if (done == 0) {
      if (Clock::now() >= deadline) timed_out = true;
      else std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  if (timed_out) {
    char text[64];
    std::snprintf(text, sizeof text, "%g", timeout);
    const bool loaded = record.rfind("ok", 0) == 0;
    return {false,
            std::string(loaded ? "did not exit (a static destructor hangs?) within " : "did not finish loading within ") +
                text + " s (killed; the time-out is RNNLAB_PLUGIN_PROBE_TIMEOUT)",
            false};
  }
  const std::size_t eol = record.find('\n');
  if (eol != std::string::npos) {
    const std::string line = record.substr(0, eol);
    if (line.rfind("ok", 0) == 0) {
      if (reaped && WIFSIGNALED(status))
        return {false, "crashed with " + describe_signal(WTERMSIG(status)) + " at exit (in a static destructor)" +
                           output_note(out),
                !external_signal(WTERMSIG(status))};
      return {true, "", true};
    }
    if (line.rfind("fail ", 0) == 0) return {false, line.substr(5), true};
  }
  if (!reaped) return {false, "the plugin probe ended without an answer (exit status unknown)", false};
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    return {false, "crashed with " + describe_signal(sig) + " while loading" + output_note(out), !external_signal(sig)};
  }
  return {false, "called exit(" + std::to_string(WEXITSTATUS(status)) + ") while loading" + output_note(out), true};
}

// --- the cache --------------------------------------------------------------
//
// One line per verdict, tab-separated:
//   1  HOST  DEV  INO  SIZE  MTIME_NS  CTIME_NS  ok|fail  REASON  PATH
// HOST names the rnnlab build (ABI, version, librnnlab's size and mtime):
// builds keep their own verdicts side by side. Lines that do not parse are
// skipped; the file is rewritten whole, through a temporary and rename().

namespace {
constexpr std::size_t max_entries = 1000;
constexpr std::uintmax_t max_file_bytes = 4u << 20;

std::string cache_file() {
  if (const char* off = std::getenv("RNNLAB_PLUGIN_CACHE"); off && std::string(off) == "0") return "";
  fs::path dir;
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  if (xdg && xdg[0] == '/') dir = fs::path(xdg) / "rnnlab";
  else if (home && home[0] == '/') dir = fs::path(home) / ".cache" / "rnnlab";
  else return "";
  return (dir / "plugin-probes.tsv").string();
}

std::string host_id() {
  std::string id = "abi" + std::to_string(RNNLAB_ABI_VERSION) + "-" + version();
  struct stat st {};
  const std::string lib = librnnlab_path();
  if (!lib.empty() && ::stat(lib.c_str(), &st) == 0) {
    const FileKey k = FileKey::of(st);
    id += "-" + std::to_string(k.size) + "-" + std::to_string(k.mtime_ns);
  }
  for (char& c : id)
    if (c == '\t' || c == '\n') c = ' ';
  return id;
}

template <class T>
bool parse_number(const std::string& s, T& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

bool storable(const std::string& s) { return s.find_first_of("\t\n\r") == std::string::npos; }
}  // namespace

Cache::Cache() : file_(cache_file()), host_(host_id()) {
  if (file_.empty()) return;
  read_into(entries_);
}

void Cache::read_into(std::map<std::string, Entry>& entries) const {
  std::error_code ec;
  const auto size = fs::file_size(file_, ec);
  if (ec || size > max_file_bytes) return;
  std::ifstream in(file_);
  std::string line;
  std::uint64_t order = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::size_t start = 0;
    for (int i = 0; i < 9; ++i) {
      const std::size_t tab = line.find('\t', start);
      if (tab == std::string::npos) break;
      f.push_back(line.substr(start, tab - start));
      start = tab + 1;
    }
    if (f.size() != 9 || f[0] != "1" || start >= line.size()) continue;
    f.push_back(line.substr(start));
    Entry e;
    if (!parse_number(f[2], e.key.dev) || !parse_number(f[3], e.key.ino) || !parse_number(f[4], e.key.size) ||
        !parse_number(f[5], e.key.mtime_ns) || !parse_number(f[6], e.key.ctime_ns))
      continue;
    if (f[7] != "ok" && f[7] != "fail") continue;
    if (f[9].empty() || f[9][0] != '/') continue;
    e.verdict.ok = f[7] == "ok";
    e.verdict.reason = f[8];
    e.verdict.cacheable = true;
    e.order = order++;
    entries[f[1] + '\t' + f[9]] = std::move(e);
  }
}

const Verdict* Cache::find(const std::string& path, const FileKey& key) const {
  if (file_.empty()) return nullptr;
  const auto it = entries_.find(host_ + '\t' + path);
  if (it == entries_.end() || !(it->second.key == key)) return nullptr;
  return &it->second.verdict;
}

void Cache::store(const std::string& path, const FileKey& key, const Verdict& verdict) {
  if (file_.empty() || !verdict.cacheable || !storable(path) || path.empty() || path[0] != '/') return;
  Entry e{key, verdict, updates_.size()};
  for (char& c : e.verdict.reason)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  entries_[host_ + '\t' + path] = e;
  updates_[host_ + '\t' + path] = std::move(e);
}

void Cache::save() {
  if (file_.empty() || updates_.empty()) return;
  // Merge with what other rnnlab processes wrote since we read the file;
  // ours are the newest.
  std::map<std::string, Entry> merged;
  read_into(merged);
  std::uint64_t base = 0;
  for (const auto& [k, e] : merged) base = std::max(base, e.order + 1);
  for (auto& [k, e] : updates_) {
    e.order += base;
    merged[k] = std::move(e);
  }
  updates_.clear();
  std::vector<std::pair<const std::string*, const Entry*>> rows;
  for (const auto& [k, e] : merged) rows.emplace_back(&k, &e);
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second->order < b.second->order; });
  if (rows.size() > max_entries) rows.erase(rows.begin(), rows.end() - max_entries);

  std::error_code ec;
  fs::create_directories(fs::path(file_).parent_path(), ec);
  std::string tmp = file_ + ".XXXXXX";
  const int fd = mkstemp(tmp.data());
  if (fd < 0) return;
  FILE* f = fdopen(fd, "w");
  if (!f) {
    close(fd);
    unlink(tmp.c_str());
    return;
  }
  bool good = true;
  for (const auto& [key, e] : rows) {
    const std::size_t tab = key->find('\t');
    const Entry& x = *e;
    good &= std::fprintf(f, "1\t%s\t%llu\t%llu\t%llu\t%lld\t%lld\t%s\t%s\t%s\n", key->substr(0, tab).c_str(),
                         static_cast<unsigned long long>(x.key.dev), static_cast<unsigned long long>(x.key.ino),
                         static_cast<unsigned long long>(x.key.size), static_cast<long long>(x.key.mtime_ns),
                         static_cast<long long>(x.key.ctime_ns), x.verdict.ok ? "ok" : "fail",
                         x.verdict.reason.c_str(), key->substr(tab + 1).c_str()) > 0;
  }
  good &= std::fclose(f) == 0;
  if (!good || std::rename(tmp.c_str(), file_.c_str()) != 0) unlink(tmp.c_str());
}

// --- the helper -------------------------------------------------------------

int helper_main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr,
                 "usage: rnnlab-plugin-probe FILE\n"
                 "Loads one rnnlab plugin library as rnnlab would and says whether that worked.\n"
                 "rnnlab runs it for every plugin before loading the plugin itself.\n");
    return 2;
  }
  // fd 3 is the answer channel when run by rnnlab; nothing the plugin
  // starts may inherit it (or rnnlab would wait for its end).
  const bool to_rnnlab = fcntl(3, F_GETFD) != -1;
  if (to_rnnlab) fcntl(3, F_SETFD, FD_CLOEXEC);
  std::string line;
  bool ok = false;
  try {
    PluginRegistrar registrar;
    run_plugin_library(argv[1], registrar);
    line = "ok " + std::to_string(registrar.entries().size());
    ok = true;
  } catch (const std::exception& e) {
    line = std::string("fail ") + e.what();
  } catch (...) {
    line = "fail loading threw an unknown exception";
  }
  for (char& c : line)
    if (c == '\n' || c == '\r') c = ' ';
  line += '\n';
  const int fd = to_rnnlab ? 3 : 1;
  for (std::size_t done = 0; done < line.size();) {
    const ssize_t n = write(fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  // Return (not _exit): the plugin's static destructors run here too, and a
  // crash in one is reported.
  return to_rnnlab || ok ? 0 : 1;
}

}  // namespace rnnlab::probe
