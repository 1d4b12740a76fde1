#pragma once
// Which kernels run: the instruction set of the element-wise passes and
// of rnnlab's own micro-kernels, which do every product of a
// single-precision training pass (chosen by rnnlab at load time), and the
// core of OpenBLAS, which does the rest (double precision, analyses,
// online rules; chosen by OpenBLAS from the CPU's model, which on a CPU it
// does not know falls back to its SSE3 "Prescott" kernels, 3-5x slower).
#include <string>

#include "rnnlab/sdk/export.hpp"

namespace rnnlab {

struct KernelInfo {
  std::string elementwise;  ///< "avx512f", "avx2" or "baseline x86-64"
  std::string products;     ///< rnnlab's own product kernels: "avx512f", "avx2+fma" or "BLAS" (none)
  bool products_everywhere = false;  ///< they run at every N (BLAS weaker than the CPU, or RNNLAB_KERNELS=own), not from N = 128 only
  std::string blas;         ///< e.g. "OpenBLAS 0.3.21, core SkylakeX"; "unknown BLAS" if not OpenBLAS
  std::string blas_core;    ///< OpenBLAS's core name ("" if not OpenBLAS)
  std::string blas_best;    ///< the strongest OpenBLAS core this CPU supports ("" if unknown)
  bool blas_weaker = false; ///< BLAS runs a core weaker than blas_best
  bool blas_set_by_rnnlab = false;  ///< OPENBLAS_CORETYPE was set by choose_blas_core
};

RNNLAB_EXPORT KernelInfo kernel_info();

/// "" when RNNLAB_KERNELS is unset, "own", "avx2" or "blas"; else what is wrong
/// with it (the command line stops with that message; the library ignores
/// an unknown value).
RNNLAB_EXPORT std::string kernel_choice_error();

/// "warning: BLAS runs core X, weaker than this CPU's Y ..." when it does,
/// "" otherwise.
RNNLAB_EXPORT std::string blas_warning(const KernelInfo& k);

/// One line for --version and bench, e.g. "kernels: element-wise avx512f,
/// products avx512f, BLAS OpenBLAS 0.3.21 core SkylakeX".
RNNLAB_EXPORT std::string kernel_summary();

/// For the command line, first thing in main(): if BLAS is OpenBLAS and
/// runs a core weaker than the CPU supports, and the user did not choose
/// one (OPENBLAS_CORETYPE unset), sets OPENBLAS_CORETYPE to the right core
/// and executes the program again (OpenBLAS reads it only when it loads).
/// RNNLAB_BLAS_CORE=auto|keep: keep leaves BLAS's own choice. Returns only
/// when nothing is to be done, or the re-execution failed.
RNNLAB_EXPORT void choose_blas_core(char** argv);

}  // namespace rnnlab
