//===--- StateOwnership.cpp -----------------------------------------------===//

#include "StateOwnership.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace tether::model {

namespace {

/// The outermost namespace \p RD is declared in ("std", "tbb", ...), or "".
llvm::StringRef outermostNamespace(const CXXRecordDecl *RD) {
  llvm::StringRef Name;
  for (const DeclContext *DC = RD->getDeclContext(); DC; DC = DC->getParent())
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC))
      if (!NS->isAnonymousNamespace())
        Name = NS->getName();
  return Name;
}

/// Library classes whose state is their own: containers that own their
/// elements, and atomics. The element type does not matter: a
/// vector<shared_ptr<T>> grows only through whoever holds the vector.
bool isOwningLibraryType(const CXXRecordDecl *RD) {
  if (!RD->getIdentifier())
    return false;
  static constexpr llvm::StringLiteral Std[] = {
      "atomic",        "atomic_flag",       "vector",   "deque",
      "list",          "forward_list",      "queue",    "stack",
      "priority_queue", "array",            "basic_string", "map",
      "set",           "multimap",          "multiset", "unordered_map",
      "unordered_set", "unordered_multimap", "unordered_multiset",
      "optional",      "bitset"};
  static constexpr llvm::StringLiteral Boost[] = {
      "atomic", "spsc_queue", "buffered_channel", "unbuffered_channel"};
  static constexpr llvm::StringLiteral BoostLockfree[] = {"queue", "stack"};
  llvm::StringRef N = RD->getName(), NS = outermostNamespace(RD);
  const auto *Parent = dyn_cast<NamespaceDecl>(RD->getDeclContext());
  if (NS == "std")
    return llvm::is_contained(Std, N);
  if (NS == "tbb")
    return N.starts_with("concurrent_");
  if (NS == "boost")
    return llvm::is_contained(Boost, N) ||
           (Parent && Parent->getName() == "lockfree" &&
            llvm::is_contained(BoostLockfree, N));
  if (NS == "moodycamel")
    return N.contains("Queue") || N.contains("CircularBuffer");
  return false;
}

bool isSelfContained(QualType T, unsigned Depth) {
  T = T.getCanonicalType();
  if (Depth > 4 || T->isDependentType() || T->isReferenceType() ||
      T->isAnyPointerType() || T->isMemberPointerType())
    return false;
  if (const auto *AT = dyn_cast<ArrayType>(T.getTypePtr()))
    return isSelfContained(AT->getElementType(), Depth + 1);
  if (T->isScalarType())
    return true;
  const CXXRecordDecl *RD = T->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition())
    return false;
  RD = RD->getDefinition();
  if (isOwningLibraryType(RD))
    return true;
  // A plain aggregate has no methods that could hand `this` to a thread.
  if (!RD->isAggregate() || RD->isPolymorphic() ||
      llvm::any_of(RD->methods(), [](const CXXMethodDecl *M) {
        return M->isUserProvided() && !isa<CXXConstructorDecl>(M) &&
               !isa<CXXDestructorDecl>(M);
      }))
    return false;
  for (const CXXBaseSpecifier &B : RD->bases())
    if (!isSelfContained(B.getType(), Depth + 1))
      return false;
  for (const FieldDecl *F : RD->fields())
    if (!isSelfContained(F->getType(), Depth + 1))
      return false;
  return true;
}

} // namespace

bool isSelfContained(QualType T) { return isSelfContained(T, 0); }

} // namespace tether::model
