// replay_main.cpp — a main() for builds without libFuzzer (GCC, ctest): feeds every file named on
// the command line, or found directly inside a named directory, to LLVMFuzzerTestOneInput once.
// Each input is copied into an exactly-sized heap block, as libFuzzer does, so over-reads stay
// visible to sanitizers; a crash names the file that caused it.
#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

// The input being replayed, for the crash message (a signal handler may only read it).
char current_input[4096] = "";

void on_crash(int sig) {
  const char* what = sig == SIGSEGV ? "SIGSEGV" : sig == SIGBUS ? "SIGBUS" : "SIGABRT";
  const char* parts[] = {"fuzz replay: ", what, " while running ", current_input, "\n"};
  for (const char* p : parts) {
    if (write(STDERR_FILENO, p, std::strlen(p)) < 0) break;
  }
  // The shell's convention for "killed by a signal", as a plain exit so ctest can read the output.
  _exit(128 + sig);
}

bool replay_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "fuzz replay: cannot read %s\n", path.c_str());
    return false;
  }
  const std::vector<char> bytes{std::istreambuf_iterator<char>(in), {}};
  std::snprintf(current_input, sizeof current_input, "%s", path.c_str());
  const auto block = std::make_unique<uint8_t[]>(bytes.size() + (bytes.empty() ? 1 : 0));
  std::memcpy(block.get(), bytes.data(), bytes.size());
  LLVMFuzzerTestOneInput(block.get(), bytes.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  for (int sig : {SIGSEGV, SIGBUS, SIGABRT}) std::signal(sig, on_crash);
  size_t replayed = 0;
  bool ok = argc > 1;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg = argv[i];
    std::error_code ec;
    if (std::filesystem::is_directory(arg, ec)) {
      // Sorted, so a replay runs the same inputs in the same order everywhere.
      std::vector<std::filesystem::path> files;
      for (const auto& entry : std::filesystem::directory_iterator(arg))
        if (entry.is_regular_file()) files.push_back(entry.path());
      std::sort(files.begin(), files.end());
      for (const auto& file : files) ok = replay_file(file) && ok;
      replayed += files.size();
    } else {
      ok = replay_file(arg) && ok;
      ++replayed;
    }
  }
  if (argc <= 1) std::fprintf(stderr, "usage: %s FILE_OR_DIR...\n", argv[0]);
  // An empty corpus would make a replay test pass without testing anything.
  ok = ok && replayed > 0;
  std::fprintf(stderr, "fuzz replay: %zu inputs, %s\n", replayed, ok ? "no failure" : "errors");
  return ok ? 0 : 1;
}
