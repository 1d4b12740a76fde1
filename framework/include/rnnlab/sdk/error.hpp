#pragma once
// Exception types crossing the kernel API. Every message is meant to be
// shown to a user as-is: it names the object, the offending value and,
// where there is a finite set, the valid choices.
#include <stdexcept>
#include <string>

namespace rnnlab {

/// Any user-facing error raised by the kernel or a plugin.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A file could not be read or written (path and cause in the message).
class IoError : public Error {
 public:
  using Error::Error;
};

/// The user pressed Ctrl-C; raised at a safe point between iterations.
class Interrupted : public Error {
 public:
  Interrupted() : Error("interrupted") {}
};

}  // namespace rnnlab
