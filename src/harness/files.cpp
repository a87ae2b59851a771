// files.cpp — the atomic file replacement.
#include "src/harness/files.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "src/harness/safetensors.hpp"

namespace ek::harness {

void write_file_atomically(const std::string& path, std::span<const char> bytes) {
  namespace fs = std::filesystem;
  // The process id keeps two writers of one path from sharing a temporary file.
  const fs::path tmp = path + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out)
      throw input_error(path + ": cannot create " + tmp.string() + ": " + std::strerror(errno));
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::error_code ignored;
      fs::remove(tmp, ignored);
      throw input_error(path + ": write failed");
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw input_error(path + ": cannot rename the temporary file into place: " + ec.message());
  }
}

}  // namespace ek::harness
