//===--- AnalysisCache.cpp ------------------------------------------------===//

#include "AnalysisCache.h"
#include "clang/AST/ASTContext.h"
#include "llvm/ADT/DenseMap.h"
#include <mutex>

namespace tether::analysis {

SharedAnalysis::~SharedAnalysis() = default;

namespace {
/// The caches of the translation units alive in this process. Never freed:
/// an ASTContext destroyed during exit must still find it.
struct Registry {
  std::mutex Lock;
  llvm::DenseMap<const clang::ASTContext *, AnalysisCache *> Caches;
};
Registry &registry() {
  static Registry *R = new Registry;
  return *R;
}
} // namespace

AnalysisCache &AnalysisCache::of(const clang::ASTContext &Ctx) {
  Registry &R = registry();
  std::lock_guard<std::mutex> Guard(R.Lock);
  AnalysisCache *&Slot = R.Caches[&Ctx];
  if (!Slot) {
    Slot = new AnalysisCache(Ctx);
    Ctx.AddDeallocation(&AnalysisCache::release, Slot);
  }
  return *Slot;
}

void AnalysisCache::release(void *Cache) {
  auto *C = static_cast<AnalysisCache *>(Cache);
  {
    Registry &R = registry();
    std::lock_guard<std::mutex> Guard(R.Lock);
    R.Caches.erase(C->Context);
  }
  delete C;
}

} // namespace tether::analysis
