// fault_trap.hpp — turns a memory fault inside a kernel under test (a guard-page hit, a write to
// a read-only input) into a reported failure instead of a crash, so verify can shrink, save and
// replay it like any other mismatch.
#pragma once

namespace ek::verify {

/// Runs fn(context) with SIGSEGV and SIGBUS trapped. Returns true when fn returned, false when it
/// faulted; then *fault_address is the address the CPU reported. A fault leaves fn by siglongjmp,
/// skipping the destructors of the frames it leaves, so only a kernel call (which owns nothing
/// that outlives it but thread-arena scratch) may run inside. One call at a time per thread; the
/// previous handlers are restored before returning.
bool run_trapping_faults(void (*fn)(void* context), void* context, const void** fault_address);

/// The same for any callable (a lambda that calls one kernel).
template <class F>
bool run_trapping_faults(F& f, const void** fault_address) {
  return run_trapping_faults([](void* c) { (*static_cast<F*>(c))(); }, &f, fault_address);
}

}  // namespace ek::verify
