// abi.cpp — loading a build of the library in its own linker namespace and resolving its C ABI.
#include "src/bench/abi.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace ek::bench {

namespace fs = std::filesystem;

loaded_library::loaded_library(const std::string& path, bool copy) : path_(path) {
  if (!fs::is_regular_file(path)) throw std::runtime_error(path + ": no such library file");
  loaded_path_ = path;
  if (copy) {
    static std::atomic<int> copies{0};
    temp_copy_ = (fs::temp_directory_path() / ("engram-kern-ab-" + std::to_string(::getpid()) +
                                               "-" + std::to_string(copies++) + ".so"))
                     .string();
    std::error_code ec;
    fs::copy_file(path, temp_copy_, fs::copy_options::overwrite_existing, ec);
    if (ec) throw std::runtime_error(path + ": cannot copy to " + temp_copy_ + ": " + ec.message());
    loaded_path_ = temp_copy_;
  }
  handle_ = ::dlmopen(LM_ID_NEWLM, loaded_path_.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle_ == nullptr) {
    const char* why = ::dlerror();
    if (!temp_copy_.empty()) fs::remove(temp_copy_);
    throw std::runtime_error(path + ": cannot load: " + (why != nullptr ? why : "dlmopen failed"));
  }
  // dlsym returns void*; the entry points are C functions of the types today's header names.
#define EK_BENCH_ABI_RESOLVE(name) \
  abi_.name = reinterpret_cast<decltype(abi_.name)>(::dlsym(handle_, #name));
  EK_BENCH_ABI_ENTRY_POINTS(EK_BENCH_ABI_RESOLVE)
#undef EK_BENCH_ABI_RESOLVE
  if (abi_.engram_set_isa == nullptr || abi_.engram_runnable_isas == nullptr) {
    ::dlclose(handle_);
    if (!temp_copy_.empty()) fs::remove(temp_copy_);
    throw std::runtime_error(path + ": has no engram_set_isa/engram_runnable_isas");
  }
}

loaded_library::~loaded_library() {
  ::dlclose(handle_);
  std::error_code ignored;
  if (!temp_copy_.empty()) fs::remove(temp_copy_, ignored);
}

std::string loaded_library::version() const {
  return abi_.engram_version_string != nullptr ? abi_.engram_version_string() : "unknown";
}

bool loaded_library::runs(const std::string& isa) const {
  size_t count = 0;
  if (abi_.engram_runnable_isas(nullptr, 0, &count) != ENGRAM_OK) return false;
  std::vector<const char*> names(count);
  if (abi_.engram_runnable_isas(names.data(), names.size(), &count) != ENGRAM_OK) return false;
  for (const char* n : names)
    if (isa == n) return true;
  return false;
}

void loaded_library::force(const std::string& isa) const {
  if (abi_.engram_set_isa(isa.c_str()) != ENGRAM_OK)
    throw std::runtime_error(path_ + ": refuses ISA " + isa);
}

abi_functions linked_abi() {
  abi_functions f;
#define EK_BENCH_ABI_LINKED(name) f.name = &::name;
  EK_BENCH_ABI_ENTRY_POINTS(EK_BENCH_ABI_LINKED)
#undef EK_BENCH_ABI_LINKED
  return f;
}

std::string library_beside_executable() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  for (const fs::path& p : {exe.parent_path() / "src/capi/libengram_kern.so",
                            exe.parent_path().parent_path() / "lib/libengram_kern.so"})
    if (fs::exists(p)) return fs::canonical(p).string();
  return "";
}

}  // namespace ek::bench
