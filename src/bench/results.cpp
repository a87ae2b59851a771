// results.cpp — names for the result types shared across the bench layer.
#include "src/bench/results.hpp"

namespace ek::bench {

std::string machine_key(const std::string& vendor, unsigned family, unsigned model,
                        const std::string& isa) {
  return vendor + "-" + std::to_string(family) + "-" + std::to_string(model) + "-" + isa;
}

std::string to_string(role r) {
  switch (r) {
    case role::reference:
      return "reference";
    case role::aa:
      return "aa";
    case role::peer:
      return "peer";
    case role::probe:
      return "probe";
    case role::f32:
      return "f32";
    default:
      return "isa";
  }
}

}  // namespace ek::bench
