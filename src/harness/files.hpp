// files.hpp — the one way engram-kern replaces a file it writes (workload and output files,
// baselines): through a temporary file and a rename, and the errors that name the file.
#pragma once

#include <span>
#include <string>

namespace ek::harness {

/// Writes `bytes` to `path` through a temporary file beside it and a rename, atomic within one
/// file system: readers see the old file or the new one, never a torn one, and a failure leaves
/// no temporary file behind. Throws input_error ("<path>: <what failed>").
void write_file_atomically(const std::string& path, std::span<const char> bytes);

}  // namespace ek::harness
