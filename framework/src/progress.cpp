#include "progress.hpp"

#include <unistd.h>

#include <algorithm>

namespace rnnlab {

namespace {

// "850" it/s, "2.5" runs/s, "0.0123" runs/s.
std::string rate_text(double rate) {
  char buf[32];
  std::snprintf(buf, sizeof buf, rate >= 100 ? "%.0f" : "%.3g", rate);
  return buf;
}

}  // namespace

ProgressPrinter::ProgressPrinter(std::string label, std::string unit, std::string rate_unit, std::size_t total,
                                 bool quiet, std::size_t already, std::FILE* stream)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      rate_unit_(std::move(rate_unit)),
      total_(total),
      already_(std::min(already, total)),
      done_(already_),
      quiet_(quiet),
      tty_(isatty(fileno(stream)) != 0),
      stream_(stream) {}

ProgressPrinter::~ProgressPrinter() { finish(); }

double ProgressPrinter::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

std::size_t ProgressPrinter::done() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return done_;
}

void ProgressPrinter::update(std::size_t done, const std::string& detail, double seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  update_locked(done, detail, seconds);
}

void ProgressPrinter::advance(const std::string& detail) {
  std::lock_guard<std::mutex> lock(mutex_);
  update_locked(done_ + 1, detail, -1);
}

void ProgressPrinter::update_locked(std::size_t done, const std::string& detail, double seconds) {
  done_ = done;
  if (quiet_) return;
  if (seconds < 0) seconds = elapsed();
  const bool last = done >= total_;
  if (last && !tty_) return;  // the summary says it
  const double interval = tty_ ? 0.1 : 10.0;
  // In a log the first line comes after 10 s, not at once.
  const double since = last_print_ < 0 ? (tty_ ? interval : seconds) : seconds - last_print_;
  if (since < interval && !last) return;
  last_print_ = seconds;
  const double counted = static_cast<double>(done - std::min(done, already_));
  const double rate = seconds > 0 ? counted / seconds : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total_ - std::min(done, total_)) / rate : 0.0;
  const std::string sep = detail.empty() ? "" : " ";
  if (tty_) {
    constexpr int width = 24;
    const int filled = total_ ? static_cast<int>(width * std::min(done, total_) / total_) : width;
    std::fprintf(stream_, "\r%s [%.*s%*s] %zu/%zu %s%s%s  %s %s  ETA %.0fs \x1b[K", label_.c_str(), filled,
                 "########################", width - filled, "", done, total_, unit_.c_str(), sep.c_str(),
                 detail.c_str(), rate_text(rate).c_str(), rate_unit_.c_str(), eta);
    line_open_ = true;
  } else {
    std::fprintf(stream_, "%s: %zu/%zu %s%s%s (%.1f s, ETA %.0f s)\n", label_.c_str(), done, total_, unit_.c_str(),
                 sep.c_str(), detail.c_str(), seconds, eta);
  }
  std::fflush(stream_);
}

void ProgressPrinter::end_line_locked() {
  if (!line_open_) return;
  std::fprintf(stream_, "\r\x1b[K");
  std::fflush(stream_);
  line_open_ = false;
}

void ProgressPrinter::summary(const std::string& text) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (quiet_) return;
  end_line_locked();
  std::fprintf(stream_, "%s: %s\n", label_.c_str(), text.c_str());
  std::fflush(stream_);
}

void ProgressPrinter::summary_counts() {
  char text[160];
  std::snprintf(text, sizeof text, "%zu/%zu %s in %.2f s", done(), total_, unit_.c_str(), elapsed());
  summary(already_ ? std::string(text) + " (" + std::to_string(already_) + " already complete)" : std::string(text));
}

void ProgressPrinter::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  end_line_locked();
}

}  // namespace rnnlab
