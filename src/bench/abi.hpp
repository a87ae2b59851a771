// abi.hpp — another build of libengram_kern.so, loaded in a linker namespace of its own and
// reached through its C ABI alone: what `bench --against` times (docs/benchmarking.md, "The
// baseline is a commit").
#pragma once

#include <string>

#include "engram_kern.h"

namespace ek::bench {

// The C ABI entry points bench calls through, one line each. A build that lacks one (a kernel
// added after it was built) leaves it null: its workloads are "not in base".
#define EK_BENCH_ABI_ENTRY_POINTS(X) \
  X(engram_version_string)           \
  X(engram_set_isa)                  \
  X(engram_runnable_isas)            \
  X(engram_vector_similarity)        \
  X(engram_vector_similarity_batch)  \
  X(engram_vector_topk)              \
  X(engram_vector_similarity_bf16)   \
  X(engram_vector_similarity_i8)     \
  X(engram_vector_topk_bf16)         \
  X(engram_vector_topk_i8)           \
  X(engram_convert_f32_to_bf16)      \
  X(engram_quantize_i8)              \
  X(engram_apply_decay)              \
  X(engram_graph_create)             \
  X(engram_graph_destroy)            \
  X(engram_spread_activation)

/// The loaded library's entry points, typed by today's header; null where it has none.
struct abi_functions {
// NOLINTNEXTLINE(bugprone-macro-parentheses): `name` is a declarator, which takes none
#define EK_BENCH_ABI_FIELD(name) decltype(&::name) name = nullptr;
  EK_BENCH_ABI_ENTRY_POINTS(EK_BENCH_ABI_FIELD)
#undef EK_BENCH_ABI_FIELD
};

/// One build of the library in a fresh namespace (dlmopen(LM_ID_NEWLM)): a plain dlopen of a
/// second file with the same SONAME would hand back the copy already loaded. With `copy`, the
/// file is first copied to a temporary path (removed again on destruction), so that the same
/// build can be loaded twice at different addresses — the A/A pair.
class loaded_library {
 public:
  /// Throws std::runtime_error when the file cannot be copied or loaded, or lacks
  /// engram_set_isa (without it no variant can be forced).
  loaded_library(const std::string& path, bool copy);
  ~loaded_library();
  loaded_library(const loaded_library&) = delete;
  loaded_library& operator=(const loaded_library&) = delete;

  const abi_functions& abi() const { return abi_; }
  const std::string& path() const { return path_; }  // the file as named
  std::string version() const;                       // engram_version_string, or "unknown"
  /// Whether this build runs `isa` here ("reference" always).
  bool runs(const std::string& isa) const;
  /// Forces `isa` in this copy (engram_set_isa); throws std::runtime_error when it refuses.
  void force(const std::string& isa) const;

 private:
  std::string path_, loaded_path_, temp_copy_;
  void* handle_ = nullptr;
  abi_functions abi_;
};

/// This executable's own (statically linked) C ABI, in the same struct.
abi_functions linked_abi();

/// The current build's shared library beside this executable: <dir>/src/capi/libengram_kern.so
/// (a build tree) or <dir>/../lib/libengram_kern.so (an install); "" when neither exists.
std::string library_beside_executable();

}  // namespace ek::bench
