// fault_trap.cpp — SIGSEGV/SIGBUS → siglongjmp back to the caller of the kernel under test.
// Async-signal safety holds because the interrupted code is the kernel itself (plain loads and
// stores), never a libc call that could be left half done.
#include "src/verify/fault_trap.hpp"

#include <csetjmp>
#include <csignal>

namespace ek::verify {

namespace {

thread_local sigjmp_buf* armed = nullptr;
thread_local const void* last_fault = nullptr;

void on_fault(int signal_number, siginfo_t* info, void*) {
  if (armed == nullptr) {
    // Not a kernel under test: fall back to the default action, which the faulting instruction
    // triggers again as soon as this handler returns.
    std::signal(signal_number, SIG_DFL);
    return;
  }
  last_fault = info->si_addr;
  siglongjmp(*armed, 1);
}

}  // namespace

bool run_trapping_faults(void (*fn)(void*), void* context, const void** fault_address) {
  struct sigaction trap {};
  trap.sa_sigaction = &on_fault;
  trap.sa_flags = SA_SIGINFO;
  sigemptyset(&trap.sa_mask);
  struct sigaction old_segv {
  }, old_bus{};
  sigaction(SIGSEGV, &trap, &old_segv);
  sigaction(SIGBUS, &trap, &old_bus);

  sigjmp_buf env;
  bool completed = false;
  // savemask = 1: the jump restores the signal mask, so SIGSEGV is not left blocked.
  if (sigsetjmp(env, 1) == 0) {
    armed = &env;
    fn(context);
    completed = true;
  }
  armed = nullptr;
  sigaction(SIGSEGV, &old_segv, nullptr);
  sigaction(SIGBUS, &old_bus, nullptr);
  if (!completed && fault_address != nullptr) *fault_address = last_fault;
  return completed;
}

}  // namespace ek::verify
