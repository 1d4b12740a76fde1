#include "rnnlab/app/kernels.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "packed_gemm.hpp"

namespace rnnlab {
namespace {

// OpenBLAS cores by the widest vector unit their kernels use: 1 SSE,
// 2 AVX, 3 AVX2+FMA, 4 AVX-512; 0 unknown (then nothing is changed).
int rank(const std::string& core) {
  static const char* const sse[] = {"Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom", "Katmai",
                                    "Coppermine", "Northwood", "Banias", "Opteron", "Barcelona", "Bobcat", "Nano"};
  static const char* const avx[] = {"Sandybridge", "Bulldozer", "Piledriver", "Steamroller"};
  static const char* const avx2[] = {"Haswell", "Zen", "Excavator"};
  static const char* const avx512[] = {"SkylakeX", "Cooperlake", "SapphireRapids"};
  auto in = [&](const auto& names) {
    for (const char* n : names)
      if (strcasecmp(n, core.c_str()) == 0) return true;
    return false;
  };
  if (in(avx512)) return 4;
  if (in(avx2)) return 3;
  if (in(avx)) return 2;
  if (in(sse)) return 1;
  return 0;
}

std::string best_core() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512cd"))
    return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
  if (__builtin_cpu_supports("avx")) return "Sandybridge";
#endif
  return "";
}

// OpenBLAS's own name of the core it runs, "" when BLAS is not OpenBLAS.
std::string openblas_core() {
  using Fn = char* (*)();
  auto* f = reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  const char* name = f ? f() : nullptr;
  return name ? name : "";
}

std::string openblas_config() {
  using Fn = char* (*)();
  auto* f = reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, "openblas_get_config"));
  const char* text = f ? f() : nullptr;
  return text ? text : "";
}

}  // namespace

KernelInfo kernel_info() {
  KernelInfo k;
#if defined(__x86_64__)
  __builtin_cpu_init();
  k.elementwise = __builtin_cpu_supports("avx512f") ? "avx512f" : __builtin_cpu_supports("avx2") ? "avx2" : "baseline x86-64";
#else
  k.elementwise = "baseline";
#endif
  k.products = kernel::products_kernel();
  const std::string core = k.blas_core = openblas_core();
  if (core.empty()) {
    k.blas = "unknown BLAS (not OpenBLAS)";
  } else {
    // "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64": the version is the second word.
    const std::string config = openblas_config();
    std::string version;
    if (config.rfind("OpenBLAS ", 0) == 0) version = config.substr(9, config.find(' ', 9) - 9);
    k.blas = "OpenBLAS " + (version.empty() ? std::string() : version + " ") + "core " + core;
    k.blas_best = best_core();
    k.blas_weaker = rank(core) > 0 && rank(k.blas_best) > rank(core);
  }
  k.products_everywhere = k.products != "BLAS" && (kernel::own_forced() || k.blas_weaker);
  const char* set = std::getenv("RNNLAB_BLAS_CORE_SET");
  k.blas_set_by_rnnlab = set && *set;
  return k;
}

std::string kernel_choice_error() {
  const char* force = std::getenv("RNNLAB_KERNELS");
  const std::string want = force ? force : "";
  if (want.empty() || want == "own" || want == "avx2" || want == "blas") return "";
  return "RNNLAB_KERNELS is '" + want + "': use own, avx2 or blas, or leave it unset";
}

std::string blas_warning(const KernelInfo& k) {
  if (!k.blas_weaker) return "";
  const std::string slower = k.products == "BLAS" ? "3-5x slower training"
                                                  : "rnnlab's own kernels take over single-precision training; "
                                                    "double precision and the analyses run 3-5x slower";
  return "warning: BLAS runs core " + k.blas_core + ", weaker than this CPU's " + k.blas_best + " (" + slower +
         "); unset OPENBLAS_CORETYPE or set it to " + k.blas_best;
}

std::string kernel_summary() {
  const KernelInfo k = kernel_info();
  const std::string scope = k.products == "BLAS"      ? ""
                            : k.products_everywhere ? " (every single-precision product)"
                                                    : " (single precision, N >= 128)";
  std::string s = "kernels: element-wise " + k.elementwise + ", products " + k.products + scope + ", " + k.blas;
  if (k.blas_set_by_rnnlab) s += " (chosen by rnnlab: OpenBLAS's own detection gave " + std::string(std::getenv("RNNLAB_BLAS_CORE_SET")) + ")";
  if (k.blas_weaker) s.append("\n").append(blas_warning(k));
  return s;
}

void choose_blas_core(char** argv) {
  const char* user = std::getenv("OPENBLAS_CORETYPE");
  if ((user && *user) || std::getenv("RNNLAB_BLAS_CORE_SET")) return;  // the user's choice, or done
  const char* mode = std::getenv("RNNLAB_BLAS_CORE");
  if (mode && std::strcmp(mode, "keep") == 0) return;
  const std::string core = openblas_core();
  const std::string best = best_core();
  if (core.empty() || rank(core) == 0 || rank(best) <= rank(core)) return;
  setenv("OPENBLAS_CORETYPE", best.c_str(), 1);
  setenv("RNNLAB_BLAS_CORE_SET", core.c_str(), 1);  // what OpenBLAS chose, for the report; also stops a loop
  execv("/proc/self/exe", argv);
  // exec failed (no /proc?): go on with the slower kernels.
  unsetenv("OPENBLAS_CORETYPE");
  unsetenv("RNNLAB_BLAS_CORE_SET");
}

}  // namespace rnnlab
