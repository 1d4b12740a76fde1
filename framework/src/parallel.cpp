#include "parallel.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "rnnlab/sdk/error.hpp"

namespace rnnlab::parallel {
namespace {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// How long an idle worker (or the caller waiting for the workers) polls
// before it sleeps in the kernel. The per-step products of a training pass
// come every few tens of microseconds at N ≥ 256; polling over such gaps
// saves a wake-up per product, sleeping beyond them frees the core.
constexpr auto kSpin = std::chrono::microseconds(100);

// Waits until `value` differs from `old`: polls for kSpin, then sleeps.
template <class T>
T wait_for_change(const std::atomic<T>& value, T old) {
  const auto until = std::chrono::steady_clock::now() + kSpin;
  for (int polls = 0;; ++polls) {
    const T now = value.load(std::memory_order_acquire);
    if (now != old) return now;
    if ((polls & 63) == 63 && std::chrono::steady_clock::now() > until) break;
    cpu_relax();
  }
  for (;;) {
    value.wait(old, std::memory_order_acquire);
    const T now = value.load(std::memory_order_acquire);
    if (now != old) return now;
  }
}

// Worker w (1 ≤ w < size) runs the share of tasks w, w + size, … of each
// call; worker 0 is the caller. A worker claims its share when it wakes;
// the caller, once its own share is done, runs any share not yet claimed
// itself. On an idle machine every worker claims its share at once; on an
// oversubscribed one a worker that the kernel has not scheduled costs
// nothing but the loss of its help.
class Pool {
 public:
  explicit Pool(int size) : size_(size), slots_(new Slot[static_cast<std::size_t>(size)]) {
    workers_.reserve(static_cast<std::size_t>(size - 1));
    for (int id = 1; id < size; ++id) workers_.emplace_back([this, id] { work(id); });
  }

  ~Pool() {
    stop_.store(true, std::memory_order_release);
    generation_.fetch_add(1, std::memory_order_acq_rel);
    generation_.notify_all();
    for (auto& w : workers_) w.join();
  }

  int size() const { return size_; }

  void run(std::size_t count, TaskRef task) {
    task_ = &task;
    count_ = count;
    error_ = nullptr;
    const std::uint64_t generation = generation_.load(std::memory_order_relaxed) + 1;
    generation_.store(generation, std::memory_order_release);
    generation_.notify_all();
    execute(0);
    for (int w = 1; w < size_; ++w) {
      Slot& slot = slots_[static_cast<std::size_t>(w)];
      std::uint64_t claimed = slot.claimed.load(std::memory_order_acquire);
      if (claimed != generation &&
          slot.claimed.compare_exchange_strong(claimed, generation, std::memory_order_acq_rel)) {
        execute(w);  // not claimed yet: run it here
        continue;
      }
      for (std::uint64_t done = slot.done.load(std::memory_order_acquire); done != generation;)
        done = wait_for_change(slot.done, done);
    }
    task_ = nullptr;
    if (error_) std::rethrow_exception(error_);
  }

 private:
  struct alignas(64) Slot {
    std::atomic<std::uint64_t> claimed{0};  // the last call whose share was claimed (by its worker or the caller)
    std::atomic<std::uint64_t> done{0};     // the last call whose share its worker finished
  };

  void work(int id) {
    Slot& slot = slots_[static_cast<std::size_t>(id)];
    std::uint64_t seen = 0;
    for (;;) {
      seen = wait_for_change(generation_, seen);
      if (stop_.load(std::memory_order_acquire)) return;
      std::uint64_t claimed = slot.claimed.load(std::memory_order_acquire);
      if (claimed == seen || !slot.claimed.compare_exchange_strong(claimed, seen, std::memory_order_acq_rel))
        continue;  // the caller ran this share
      execute(id);
      slot.done.store(seen, std::memory_order_release);
      slot.done.notify_one();
    }
  }

  // Tasks id, id + size, id + 2·size, … of the current call.
  void execute(int id) {
    inside_ = true;
    try {
      for (std::size_t i = static_cast<std::size_t>(id); i < count_; i += static_cast<std::size_t>(size_)) (*task_)(i);
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex_);
      if (!error_) error_ = std::current_exception();
    }
    inside_ = false;
  }

  const int size_;
  std::unique_ptr<Slot[]> slots_;
  std::vector<std::thread> workers_;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<bool> stop_{false};
  const TaskRef* task_ = nullptr;
  std::size_t count_ = 0;
  std::mutex error_mutex_;
  std::exception_ptr error_;

 public:
  static thread_local bool inside_;  // this thread is running a task
};

thread_local bool Pool::inside_ = false;

struct Local {
  int threads = 1;
  std::unique_ptr<Pool> pool;
};

Local& local() {
  thread_local Local l;
  return l;
}

}  // namespace

void set_threads(int n) {
  if (n < 1) throw Error("threads must be at least 1, got " + std::to_string(n));
  Local& l = local();
  l.threads = n;
  if (l.pool && l.pool->size() != n) l.pool.reset();
}

int threads() { return local().threads; }

void run(std::size_t count, TaskRef task) {
  Local& l = local();
  if (l.threads == 1 || count <= 1 || Pool::inside_) {
    for (std::size_t i = 0; i < count; ++i) task(i);
    return;
  }
  if (!l.pool) l.pool = std::make_unique<Pool>(l.threads);
  l.pool->run(count, task);
}

}  // namespace rnnlab::parallel
