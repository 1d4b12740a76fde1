#pragma once
// Threads for the passes of one training run: the pool that the
// framework's products and element-wise passes use, open to plugins whose
// own passes can be split the same way.
//
// Every thread that trains has its own thread count (default 1) and, once
// that is above 1, its own small persistent pool of workers: `rnnlab run
// --threads N` and `rnnlab bench --threads N` set the main thread's, a
// sweep sets each of its workers'. Concurrent runs therefore never share a
// pool.
//
// Callers split their work into tasks whose boundaries do not depend on the
// thread count, and each task writes its own outputs with the same code as
// a single thread would, so results are bitwise the same for any count.
#include <cstddef>
#include <type_traits>
#include <utility>

#include "rnnlab/sdk/export.hpp"

namespace rnnlab::parallel {

/// Threads the calling thread's passes use from now on (n ≥ 1).
RNNLAB_EXPORT void set_threads(int n);
/// The calling thread's thread count (1 unless set).
RNNLAB_EXPORT int threads();

/// Sets the calling thread's count for the lifetime of the guard.
class ThreadsGuard {
 public:
  explicit ThreadsGuard(int n) : previous_(threads()) { set_threads(n); }
  ~ThreadsGuard() { set_threads(previous_); }
  ThreadsGuard(const ThreadsGuard&) = delete;
  ThreadsGuard& operator=(const ThreadsGuard&) = delete;

 private:
  int previous_;
};

/// A non-owning reference to a callable (which must outlive it).
template <class Signature>
class FunctionRef;

template <class R, class... Args>
class FunctionRef<R(Args...)> {
 public:
  FunctionRef() = default;
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, FunctionRef>>>
  FunctionRef(F& f)
      : object_(const_cast<void*>(static_cast<const void*>(&f))),
        call_([](void* o, Args... args) -> R { return (*static_cast<F*>(o))(args...); }) {}
  explicit operator bool() const { return call_ != nullptr; }
  R operator()(Args... args) const { return call_(object_, args...); }

 private:
  void* object_ = nullptr;
  R (*call_)(void*, Args...) = nullptr;
};

using TaskRef = FunctionRef<void(std::size_t)>;

/// Runs task(i) for every i in [0, count) and returns when all are done
/// (rethrowing the first exception a task threw). Tasks i ≡ w (mod
/// threads()) are one share, run in order on one thread: worker w's
/// (worker 0 being the calling thread), so that a partition that is the
/// same from call to call keeps each part on the same core and in its
/// cache; or the calling thread's, when worker w has not woken up by the
/// time the caller is done with its own share. Called from inside a task,
/// runs the tasks in order on the calling thread.
RNNLAB_EXPORT void run(std::size_t count, TaskRef task);

template <class F>
void for_each_task(std::size_t count, F&& task) {
  run(count, TaskRef(task));
}

}  // namespace rnnlab::parallel
