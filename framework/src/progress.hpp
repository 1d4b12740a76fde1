#pragma once
// The one progress display of the framework, for training phases and for
// sweeps: on a terminal a live line, redrawn at most every 0.1 s; in a log
// (stdout not a terminal) a line every 10 s; then a summary line, in both.
// Nothing at all when quiet. Safe to call from several threads.
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <string>

namespace rnnlab {

class ProgressPrinter {
 public:
  /// `unit` names what is counted ("iterations", "runs"), `rate_unit` its
  /// rate ("it/s", "runs/s"). `already` of the `total` were done before
  /// this process started (runs a sweep skips): they count as done but not
  /// in the rate, nor so in the ETA.
  ProgressPrinter(std::string label, std::string unit, std::string rate_unit, std::size_t total, bool quiet,
                  std::size_t already = 0, std::FILE* stream = stdout);
  ~ProgressPrinter();
  ProgressPrinter(const ProgressPrinter&) = delete;
  ProgressPrinter& operator=(const ProgressPrinter&) = delete;

  /// `done` of the total are done (`already` included) after `seconds`
  /// (< 0: since construction); `detail` follows the count, e.g.
  /// "loss 0.0312". At done == total the live line is drawn, while a log
  /// waits for the summary.
  void update(std::size_t done, const std::string& detail = "", double seconds = -1);
  /// One more done (update with the count kept here).
  void advance(const std::string& detail = "");
  /// Ends the live line and prints "LABEL: TEXT".
  void summary(const std::string& text);
  /// The summary "LABEL: DONE/TOTAL UNIT in S s", plus "(N already
  /// complete)" when some were done before.
  void summary_counts();
  /// Ends the live line, if one is shown (called by the destructor, so an
  /// error or Ctrl-C does not leave the cursor after it).
  void finish();

  double elapsed() const;  ///< seconds since construction
  std::size_t done() const;
  const std::string& label() const { return label_; }

 private:
  void update_locked(std::size_t done, const std::string& detail, double seconds);
  void end_line_locked();

  std::string label_, unit_, rate_unit_;
  std::size_t total_, already_, done_;
  bool quiet_, tty_;
  std::FILE* stream_;
  bool line_open_ = false;  // a live line is on the terminal
  double last_print_ = -1;  // seconds; -1: nothing shown yet
  mutable std::mutex mutex_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace rnnlab
