//===--- AnalysisCache.h - analyses computed once per translation unit ----===//
//
// Go's analysis framework in small: a check asks for the analyses it needs,
// and each shared analysis is computed once per translation unit, on first
// request, and handed to every check that asks for it. A check asks in one
// line:
//
//   auto &Loops = analysis::LoopAnalyzer::of(*Result.Context, Blocking);
//   const analysis::LoopAnatomy &A = Loops.get(Loop);
//
// clang-tidy gives checks no shared state, so the analyses of a translation
// unit hang off its ASTContext: the first request makes them, and the
// ASTContext frees them when it is destroyed (ASTContext::AddDeallocation),
// in every front door (the driver, clang-tidy with the plugin, clangd). clangd
// parses several files at once on several threads: the registry of contexts
// is guarded by a mutex, and the analyses of one translation unit are only
// used by the thread that parses it.
//
// An analysis that reads a model is made for one configuration of that model
// (the CheckOptions it was built from): checks whose options agree share it,
// and a check with its own local options gets its own. The analysis keeps
// its own copy of the model, so it never refers to a check.
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_ANALYSIS_ANALYSISCACHE_H
#define TETHER_CHECKS_ANALYSIS_ANALYSISCACHE_H

#include "llvm/ADT/StringRef.h"
#include <map>
#include <memory>
#include <string>
#include <utility>

namespace clang {
class ASTContext;
} // namespace clang

namespace tether::analysis {

/// What every shared analysis is: something the cache can own and free.
class SharedAnalysis {
public:
  virtual ~SharedAnalysis();
};

class AnalysisCache {
public:
  /// The analyses of the translation unit \p Ctx belongs to, made on first
  /// request and freed with the ASTContext.
  static AnalysisCache &of(const clang::ASTContext &Ctx);

  /// The analysis \p T for configuration \p Config (empty when it reads no
  /// model), made as T(Args...) on first request. \p T declares
  /// `static const char ID;`: its address tells the kinds of analysis apart.
  template <typename T, typename... ArgTs>
  T &get(std::string Config, ArgTs &&...Args) {
    std::unique_ptr<SharedAnalysis> &Slot = Entries[{&T::ID, std::move(Config)}];
    if (!Slot)
      Slot = std::make_unique<T>(std::forward<ArgTs>(Args)...);
    return static_cast<T &>(*Slot);
  }

  AnalysisCache(const AnalysisCache &) = delete;
  AnalysisCache &operator=(const AnalysisCache &) = delete;

private:
  explicit AnalysisCache(const clang::ASTContext &Ctx) : Context(&Ctx) {}
  ~AnalysisCache() = default;
  /// Called by the ASTContext's destructor: forgets the context, frees all.
  static void release(void *Cache);

  const clang::ASTContext *Context;
  std::map<std::pair<const void *, std::string>,
           std::unique_ptr<SharedAnalysis>>
      Entries;
};

} // namespace tether::analysis

#endif
