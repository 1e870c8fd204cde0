//===--- TextReporter.h - clang-style text --------------------------------===//

#ifndef TETHER_DRIVER_REPORTERS_TEXTREPORTER_H
#define TETHER_DRIVER_REPORTERS_TEXTREPORTER_H

#include "Reporter.h"

namespace tether::driver {

/// path:line:col: warning: message [check], the source line and a caret,
/// then the notes; colored when \p Color.
class TextReporter : public Reporter {
public:
  explicit TextReporter(bool Color) : Color(Color) {}
  void write(const RunReport &Report, llvm::raw_ostream &OS) override;

private:
  bool Color;
};

} // namespace tether::driver

#endif
