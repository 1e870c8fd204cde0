//===--- Matchers.h - small AST matchers and predicates shared by checks -===//

#ifndef TETHER_CHECKS_ANALYSIS_MATCHERS_H
#define TETHER_CHECKS_ANALYSIS_MATCHERS_H

#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "LoopExits.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/DenseMap.h"
#include <memory>
#include <optional>
#include <utility>

namespace tether::analysis {

/// A lambda one of whose parameters matches \p Inner (a jthread body that
/// takes a std::stop_token).
AST_MATCHER_P(clang::LambdaExpr, lambdaHasParam,
              clang::ast_matchers::internal::Matcher<clang::ParmVarDecl>,
              Inner) {
  const clang::CXXMethodDecl *Call = Node.getCallOperator();
  if (!Call)
    return false;
  for (const clang::ParmVarDecl *P : Call->parameters())
    if (Inner.matches(*P, Finder, Builder))
      return true;
  return false;
}

/// Written outside system headers, by where it expands: what
/// unless(isExpansionInSystemHeader()) says, as one matcher instead of two.
/// Every level of a matcher costs the match finder a dynamic dispatch, a
/// kind test and a traversal-mode lookup per node it is tried on.
inline bool inUserCode(const clang::ASTContext &Ctx, clang::SourceLocation L) {
  const clang::SourceManager &SM = Ctx.getSourceManager();
  clang::SourceLocation Loc = SM.getExpansionLoc(L);
  return Loc.isInvalid() || !SM.isInSystemHeader(Loc);
}
AST_POLYMORPHIC_MATCHER(isExpansionInUserCode,
                        AST_POLYMORPHIC_SUPPORTED_TYPES(clang::Decl,
                                                        clang::Stmt)) {
  return inUserCode(Finder->getASTContext(), Node.getBeginLoc());
}

/// A matcher's answer remembered per declaration, for one unit: the
/// matchers are built per unit, and a call's callee is one of a few hundred
/// functions while the calls number thousands. A name test (hasAnyName) on
/// every call of the unit, once per check that asks, was the largest part of
/// the match finder's cost on dense code.
using DeclMemo = std::shared_ptr<llvm::DenseMap<const clang::Decl *, bool>>;

inline bool rememberedMatch(
    const clang::FunctionDecl *FD,
    const clang::ast_matchers::internal::Matcher<clang::FunctionDecl> &Inner,
    llvm::DenseMap<const clang::Decl *, bool> &Memo,
    clang::ast_matchers::internal::ASTMatchFinder *Finder) {
  if (!FD)
    return false;
  auto [It, New] = Memo.try_emplace(FD, false);
  if (New) {
    clang::ast_matchers::internal::BoundNodesTreeBuilder Scratch;
    It->second = Inner.matches(*FD, Finder, &Scratch);
  }
  return It->second;
}

AST_MATCHER_P2(clang::CallExpr, calleeRemembered,
               clang::ast_matchers::internal::Matcher<clang::FunctionDecl>,
               Inner, DeclMemo, Memo) {
  return rememberedMatch(
      llvm::dyn_cast_or_null<clang::FunctionDecl>(Node.getCalleeDecl()),
      Inner, *Memo, Finder);
}

AST_MATCHER_P2(clang::CXXConstructExpr, constructorRemembered,
               clang::ast_matchers::internal::Matcher<clang::FunctionDecl>,
               Inner, DeclMemo, Memo) {
  return rememberedMatch(Node.getConstructor(), Inner, *Memo, Finder);
}

/// callee(functionDecl(Inner)), decided once per callee. Inner must not
/// bind nodes.
inline clang::ast_matchers::internal::Matcher<clang::CallExpr>
calleeIs(clang::ast_matchers::internal::Matcher<clang::FunctionDecl> Inner) {
  return calleeRemembered(std::move(Inner),
                          std::make_shared<DeclMemo::element_type>());
}

/// hasDeclaration(Inner) of a construction, decided once per constructor.
/// Inner must not bind nodes.
inline clang::ast_matchers::internal::Matcher<clang::CXXConstructExpr>
constructorIs(
    clang::ast_matchers::internal::Matcher<clang::FunctionDecl> Inner) {
  return constructorRemembered(std::move(Inner),
                               std::make_shared<DeclMemo::element_type>());
}

/// has(Inner) and forEach(Inner) for the statements of a block, as one
/// loop over them: has() and forEach() go through the match finder's
/// child traversal and memo on every block of the unit.
AST_MATCHER_P(clang::CompoundStmt, hasStatement,
              clang::ast_matchers::internal::Matcher<clang::Stmt>, Inner) {
  for (const clang::Stmt *S : Node.body()) {
    clang::ast_matchers::internal::BoundNodesTreeBuilder Bound(*Builder);
    if (S && Inner.matches(*S, Finder, &Bound)) {
      *Builder = std::move(Bound);
      return true;
    }
  }
  return false;
}
AST_MATCHER_P(clang::CompoundStmt, forEachStatement,
              clang::ast_matchers::internal::Matcher<clang::Stmt>, Inner) {
  clang::ast_matchers::internal::BoundNodesTreeBuilder All;
  bool Matched = false;
  for (const clang::Stmt *S : Node.body()) {
    clang::ast_matchers::internal::BoundNodesTreeBuilder Bound(*Builder);
    if (S && Inner.matches(*S, Finder, &Bound)) {
      Matched = true;
      All.addMatch(Bound);
    }
  }
  *Builder = std::move(All);
  return Matched;
}

/// Registers \p CB for the while, do and for loops written outside system
/// headers (and range-for loops too with \p RangeFor), bound to "loop".
/// One matcher per kind of loop: `stmt(anyOf(whileStmt(), ...))` is a
/// matcher of Stmt, which the match finder tries on every statement of the
/// unit, system headers included.
inline void addLoopMatchers(clang::ast_matchers::MatchFinder *Finder,
                            clang::ast_matchers::MatchFinder::MatchCallback *CB,
                            bool RangeFor = false) {
  using namespace clang::ast_matchers;
  auto User = isExpansionInUserCode();
  Finder->addMatcher(whileStmt(User).bind("loop"), CB);
  Finder->addMatcher(doStmt(User).bind("loop"), CB);
  Finder->addMatcher(forStmt(User).bind("loop"), CB);
  if (RangeFor)
    Finder->addMatcher(cxxForRangeStmt(User).bind("loop"), CB);
}

/// A block one of whose statements is a while, do or for loop. A plain
/// predicate: has(stmt(anyOf(...))) runs three memoised matchers per child.
AST_MATCHER(clang::CompoundStmt, holdsWaitingLoop) {
  return llvm::any_of(Node.body(), isWaitingLoopCandidate);
}

/// An if whose then-branch is a while, do or for loop, or a block holding
/// one.
AST_MATCHER(clang::IfStmt, thenHoldsWaitingLoop) {
  const clang::Stmt *Then = Node.getThen();
  if (isWaitingLoopCandidate(Then))
    return true;
  const auto *Block = llvm::dyn_cast_or_null<clang::CompoundStmt>(Then);
  return Block && llvm::any_of(Block->body(), isWaitingLoopCandidate);
}

/// The target and the value of a plain assignment, built in or overloaded
/// (`x = v`, `t_ = std::thread(f)`); compound assignments are not.
inline std::optional<std::pair<const clang::Expr *, const clang::Expr *>>
assignmentOf(const clang::Stmt *S) {
  if (const auto *B = llvm::dyn_cast_or_null<clang::BinaryOperator>(S);
      B && B->getOpcode() == clang::BO_Assign)
    return std::make_pair(B->getLHS(), B->getRHS());
  if (const auto *Op = llvm::dyn_cast_or_null<clang::CXXOperatorCallExpr>(S);
      Op && Op->getOperator() == clang::OO_Equal && Op->getNumArgs() == 2)
    return std::make_pair(Op->getArg(0), Op->getArg(1));
  return std::nullopt;
}

/// Is \p DC written inside a template: a dependent context, an
/// instantiated function or class, or a lambda in one? Checks whose verdict
/// depends on types leave such code alone.
inline bool inTemplate(const clang::DeclContext *DC) {
  for (unsigned Steps = 0; DC && Steps < 16; ++Steps, DC = DC->getParent()) {
    if (DC->isDependentContext() ||
        llvm::isa<clang::ClassTemplateSpecializationDecl>(DC))
      return true;
    if (const auto *FD = llvm::dyn_cast<clang::FunctionDecl>(DC);
        FD && FD->getTemplateInstantiationPattern())
      return true;
  }
  return false;
}

/// Is the template code \p FD is written in (a function template, a member
/// function of a class template, or a lambda in one) instantiated in the
/// TU? Then the instantiations, which know the types, are what runs.
inline bool isInstantiated(const clang::FunctionDecl *FD) {
  // The function a lambda is written in.
  for (unsigned Steps = 0; FD && Steps < 8; ++Steps) {
    const auto *M = llvm::dyn_cast<clang::CXXMethodDecl>(FD);
    if (!M || !M->getParent()->isLambda())
      break;
    FD = llvm::dyn_cast<clang::FunctionDecl>(M->getParent()->getDeclContext());
  }
  if (!FD)
    return false;
  auto HasBody = [](const clang::FunctionDecl *S) { return S->hasBody(); };
  const clang::FunctionTemplateDecl *T = FD->getDescribedFunctionTemplate();
  if (T && llvm::any_of(T->specializations(), HasBody))
    return true;
  const auto *M = llvm::dyn_cast<clang::CXXMethodDecl>(FD);
  const clang::ClassTemplateDecl *Class =
      M ? M->getParent()->getDescribedClassTemplate() : nullptr;
  if (!Class)
    return false;
  // A member function of a class template, or a member template of one
  // (`template <class F> AsyncJob<R>::AsyncJob(F&&)`): its instantiations
  // hang off the class's specializations.
  for (const clang::ClassTemplateSpecializationDecl *Spec :
       Class->specializations())
    for (const clang::Decl *D : Spec->decls()) {
      if (const auto *Inst = llvm::dyn_cast<clang::CXXMethodDecl>(D);
          Inst && !T && Inst->getInstantiatedFromMemberFunction() == M &&
          Inst->hasBody())
        return true;
      if (const auto *InstT = llvm::dyn_cast<clang::FunctionTemplateDecl>(D);
          InstT && T && InstT->getInstantiatedFromMemberTemplate() == T &&
          llvm::any_of(InstT->specializations(), HasBody))
        return true;
    }
  return false;
}

} // namespace tether::analysis

#endif
