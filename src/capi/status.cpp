// status.cpp — status names and the library version.
#include "engram_kern.h"

#define EK_STRINGIFY_(x) #x
#define EK_STRINGIFY(x) EK_STRINGIFY_(x)

extern "C" {

const char* engram_status_string(engram_status status) {
  switch (status) {
    case ENGRAM_OK:
      return "ok";
    case ENGRAM_ERR_NULL_POINTER:
      return "null pointer";
    case ENGRAM_ERR_SIZE_OVERFLOW:
      return "size overflow";
    case ENGRAM_ERR_OVERLAP:
      return "overlapping buffers";
    case ENGRAM_ERR_INVALID_PARAM:
      return "invalid parameter";
    case ENGRAM_ERR_INVALID_GRAPH:
      return "invalid graph";
    case ENGRAM_ERR_INVALID_INPUT:
      return "invalid input";
    case ENGRAM_ERR_UNKNOWN_ISA:
      return "unknown ISA";
    case ENGRAM_ERR_UNSUPPORTED_ISA:
      return "unsupported ISA";
    case ENGRAM_ERR_OUT_OF_MEMORY:
      return "out of memory";
    default:
      return "unknown status";
  }
}

uint32_t engram_version(void) {
  return (ENGRAM_KERN_VERSION_MAJOR << 16) | (ENGRAM_KERN_VERSION_MINOR << 8) |
         ENGRAM_KERN_VERSION_PATCH;
}

const char* engram_version_string(void) {
  return EK_STRINGIFY(ENGRAM_KERN_VERSION_MAJOR) "." EK_STRINGIFY(
      ENGRAM_KERN_VERSION_MINOR) "." EK_STRINGIFY(ENGRAM_KERN_VERSION_PATCH);
}

}  // extern "C"
