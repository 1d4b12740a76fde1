#include "rnnlab/sdk/parallel.hpp"

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

// Thread w's share of a call is the tasks w, w + size, w + 2·size, …
// (thread 0 is the caller). Each thread claims the tasks of its own share
// one at a time, in order, and then takes over tasks still unclaimed in
// the other shares. On an idle machine every thread runs its own share,
// so a partition that is the same from call to call keeps each part in
// one core's cache; on a busy one, a thread the kernel has not scheduled
// holds up the others by at most the one task it is running.
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
    // A share's claims are counted in 32 bits beside the call's number.
    constexpr std::size_t kMaxCount = std::size_t{1} << 31;
    for (std::size_t first = 0; first < count; first += kMaxCount) {
      const std::size_t n = std::min(kMaxCount, count - first);
      auto shifted = [&](std::size_t i) { task(first + i); };
      run_call(n, first == 0 ? task : TaskRef(shifted));
    }
  }

 private:
  struct Job {
    std::atomic<const TaskRef*> task{nullptr};
    std::atomic<std::size_t> count{0};
  };
  struct alignas(64) Slot {
    // (call number << 32) | tasks of this thread's share claimed so far.
    std::atomic<std::uint64_t> claimed{0};
  };

  void run_call(std::size_t count, TaskRef task) {
    const std::uint64_t call = (generation_.load(std::memory_order_relaxed) + 1) & 0xffffffffu;
    // Two job records, alternating: a worker still looking at the previous
    // call reads that call's record, and its claims fail on the call number.
    jobs_[call & 1].task.store(&task, std::memory_order_relaxed);
    jobs_[call & 1].count.store(count, std::memory_order_relaxed);
    for (int w = 0; w < size_; ++w) slots_[static_cast<std::size_t>(w)].claimed.store(call << 32, std::memory_order_relaxed);
    finished_.store(0, std::memory_order_relaxed);
    error_ = nullptr;
    generation_.store(call, std::memory_order_release);
    generation_.notify_all();
    execute(0, call);
    for (std::size_t done = finished_.load(std::memory_order_acquire); done != count;)
      done = wait_for_change(finished_, done);
    if (error_) std::rethrow_exception(error_);
  }

  void work(int id) {
    std::uint64_t seen = 0;
    for (;;) {
      seen = wait_for_change(generation_, seen);
      if (stop_.load(std::memory_order_acquire)) return;
      execute(id, seen);
    }
  }

  // Runs the tasks of share `owner` of call `call` that nobody has claimed.
  void run_share(int owner, std::uint64_t call) {
    const Job& job = jobs_[call & 1];
    // Read before any claim: if this call is over, they may be the next
    // one's, but then every claim below fails on the call number.
    const std::size_t count = job.count.load(std::memory_order_relaxed);
    std::atomic<std::uint64_t>& claimed = slots_[static_cast<std::size_t>(owner)].claimed;
    const std::size_t stride = static_cast<std::size_t>(size_), start = static_cast<std::size_t>(owner);
    for (std::uint64_t word = claimed.load(std::memory_order_acquire);;) {
      if ((word >> 32) != call) return;  // another call by now
      const std::size_t i = start + (word & 0xffffffffu) * stride;
      if (i >= count) return;
      if (!claimed.compare_exchange_weak(word, word + 1, std::memory_order_acq_rel, std::memory_order_acquire))
        continue;
      // Claimed: the call cannot end before this task is counted, so the
      // job record is this call's.
      try {
        (*job.task.load(std::memory_order_relaxed))(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex_);
        if (!error_) error_ = std::current_exception();
      }
      if (finished_.fetch_add(1, std::memory_order_acq_rel) + 1 == count) finished_.notify_all();
      word = claimed.load(std::memory_order_acquire);
    }
  }

  // Thread `id`'s own share, then whatever is left of the others'.
  void execute(int id, std::uint64_t call) {
    inside_ = true;
    for (int k = 0; k < size_; ++k) run_share((id + k) % size_, call);
    inside_ = false;
  }

  const int size_;
  std::unique_ptr<Slot[]> slots_;
  std::vector<std::thread> workers_;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<std::size_t> finished_{0};
  std::atomic<bool> stop_{false};
  Job jobs_[2];
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
