#include "progress.hpp"

#include <unistd.h>

#include <cmath>

namespace rnnlab::lua {

ProgressPrinter::ProgressPrinter(std::string label, bool quiet, std::FILE* stream)
    : label_(std::move(label)), quiet_(quiet), tty_(isatty(fileno(stream)) != 0), stream_(stream) {}

void ProgressPrinter::update(const TrainProgress& p) {
  if (!have_first_) {
    first_loss_ = p.loss;
    have_first_ = true;
  }
  if (quiet_) return;
  const double interval = tty_ ? 0.1 : 10.0;
  if (p.seconds - last_print_ < interval && p.iteration != p.iterations) return;
  last_print_ = p.seconds;
  const double rate = p.seconds > 0 ? static_cast<double>(p.iteration) / p.seconds : 0.0;
  const double eta = rate > 0 ? static_cast<double>(p.iterations - p.iteration) / rate : 0.0;
  if (tty_) {
    const int width = 24;
    const int filled = p.iterations ? static_cast<int>(width * p.iteration / p.iterations) : width;
    std::fprintf(stream_, "\r%s [%.*s%*s] %zu/%zu loss %.4g  %.0f it/s  ETA %.0fs \x1b[K", label_.c_str(), filled,
                 "########################", width - filled, "", p.iteration, p.iterations, p.loss, rate, eta);
  } else if (p.iteration != p.iterations) {
    std::fprintf(stream_, "%s: iteration %zu/%zu loss %.6g (%.1f s, ETA %.0f s)\n", label_.c_str(), p.iteration,
                 p.iterations, p.loss, p.seconds, eta);
  }
  std::fflush(stream_);
}

void ProgressPrinter::finish(const TrainResult& r, std::size_t iterations) {
  if (quiet_) return;
  if (tty_) std::fprintf(stream_, "\r\x1b[K");
  if (r.diverged) {
    // final_loss is NaN; the last loss measured tells how it diverged.
    const double last = r.losses.empty() ? r.final_loss : r.losses.back().second;
    std::fprintf(stream_, "%s: DIVERGED at iteration %zu/%zu (loss %g) after %.2f s\n", label_.c_str(),
                 r.iterations_done + 1, iterations, last, r.seconds);
  } else {
    std::fprintf(stream_, "%s: %zu iterations in %.2f s, loss %.6g -> %.6g\n", label_.c_str(), r.iterations_done,
                 r.seconds, first_loss_, r.final_loss);
  }
  std::fflush(stream_);
}

}  // namespace rnnlab::lua
