#pragma once
// Exception types crossing the kernel API. Every message is meant to be
// shown to a user as-is: it names the object, the offending value and,
// where there is a finite set, the valid choices.
#include <stdexcept>
#include <string>

#include "rnnlab/sdk/export.hpp"

namespace rnnlab {

/// Any user-facing error raised by the kernel or a plugin.
class RNNLAB_EXPORT Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A file could not be read or written (path and cause in the message).
class RNNLAB_EXPORT IoError : public Error {
 public:
  using Error::Error;
};

/// The user pressed Ctrl-C; raised at a safe point between iterations.
class RNNLAB_EXPORT Interrupted : public Error {
 public:
  Interrupted() : Error("interrupted") {}
};

}  // namespace rnnlab
