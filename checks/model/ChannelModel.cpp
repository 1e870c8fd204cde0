//===--- ChannelModel.cpp -------------------------------------------------===//

#include "ChannelModel.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/TemplateName.h"

using namespace clang;

namespace tether::model {

ChannelModel::ChannelModel(clang::tidy::ClangTidyCheck::OptionsView &Options)
    : ChannelTypes{"ChannelTypes",
                   {"boost::fibers::buffered_channel",
                    "boost::fibers::unbuffered_channel",
                    // asio's channel and concurrent_channel are alias
                    // templates of these; the aliases resolve to them.
                    "asio::experimental::basic_channel",
                    "asio::experimental::basic_concurrent_channel",
                    "boost::asio::experimental::basic_channel",
                    "boost::asio::experimental::basic_concurrent_channel"},
                   {}},
      SendMethods{"SendMethods",
                  {"push", "try_push", "push_wait_for", "push_wait_until",
                   "async_send", "try_send", "try_send_n",
                   "try_send_via_dispatch", "try_send_n_via_dispatch"},
                  {}},
      ReceiveMethods{"ReceiveMethods",
                     {"pop", "value_pop", "try_pop", "pop_wait_for",
                      "pop_wait_until", "async_receive", "try_receive"},
                     {}},
      // asio's cancel() fails pending operations but leaves the channel
      // open, and reset() reopens it: neither ends the channel.
      CloseMethods{"CloseMethods", {"close"}, {}} {
  for (NameList *L :
       {&ChannelTypes, &SendMethods, &ReceiveMethods, &CloseMethods})
    L->UserValue = Options.getLocalOrGlobal(L->OptionName, "");
  for (const std::string &N : ChannelTypes.all())
    TypeSet.insert(N);
  for (const std::string &N : SendMethods.all())
    SendSet.insert(N);
  for (const std::string &N : ReceiveMethods.all())
    ReceiveSet.insert(N);
  for (const std::string &N : CloseMethods.all())
    CloseSet.insert(N);
}

void ChannelModel::store(clang::tidy::ClangTidyCheck::OptionsView &Options,
                         clang::tidy::ClangTidyOptions::OptionMap &Opts) const {
  for (const NameList *L :
       {&ChannelTypes, &SendMethods, &ReceiveMethods, &CloseMethods})
    Options.store(Opts, L->OptionName, L->UserValue);
}

bool ChannelModel::isChannelName(const NamedDecl *D) const {
  return D && D->getDeclName().isIdentifier() &&
         TypeSet.contains(canonicalName(D));
}

bool ChannelModel::isChannelClass(const CXXRecordDecl *RD) const {
  if (!RD)
    return false;
  RD = RD->getCanonicalDecl();
  auto Cached = ClassCache.find(RD);
  if (Cached != ClassCache.end())
    return Cached->second;
  bool Is = false;
  // The class and its bases: a class derived from a channel is one.
  llvm::SmallVector<const CXXRecordDecl *, 4> Work{RD};
  unsigned Steps = 0;
  while (!Work.empty() && !Is && Steps++ < 16) {
    const CXXRecordDecl *C = Work.pop_back_val();
    Is = isChannelName(C);
    if (const CXXRecordDecl *Def = C->getDefinition())
      for (const CXXBaseSpecifier &B : Def->bases())
        if (const CXXRecordDecl *Base = B.getType()->getAsCXXRecordDecl())
          Work.push_back(Base);
  }
  ClassCache[RD] = Is;
  return Is;
}

bool ChannelModel::isChannel(QualType T) const {
  if (T.isNull())
    return false;
  T = T.getNonReferenceType();
  const Type *Key = T.getTypePtr();
  auto Cached = TypeCache.find(Key);
  if (Cached != TypeCache.end())
    return Cached->second;
  bool Is = false;
  // The names the type was spelled with: typedefs, alias templates, and
  // (dependent) specializations of a channel template.
  const Type *Ty = Key;
  for (unsigned Depth = 0; Ty && !Is && Depth < 8; ++Depth) {
    if (const auto *TT = dyn_cast<TypedefType>(Ty))
      Is = isChannelName(TT->getDecl());
    else if (const auto *TST = dyn_cast<TemplateSpecializationType>(Ty))
      Is = isChannelName(TST->getTemplateName().getAsTemplateDecl());
    QualType Next = Ty->getLocallyUnqualifiedSingleStepDesugaredType();
    if (Next.getTypePtr() == Ty)
      break;
    Ty = Next.getTypePtr();
  }
  if (!Is)
    Is = isChannelClass(T.getCanonicalType()->getAsCXXRecordDecl());
  TypeCache[Key] = Is;
  return Is;
}

/// std::shared_ptr<X> -> X, for both a specialization and a dependent
/// template-id.
static QualType pointeeOfWrapper(QualType T) {
  static const llvm::StringRef Wrappers[] = {
      "std::reference_wrapper", "std::shared_ptr", "std::unique_ptr",
      "std::weak_ptr", "boost::shared_ptr", "boost::intrusive_ptr"};
  const NamedDecl *Template = nullptr;
  llvm::ArrayRef<TemplateArgument> Args;
  if (const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
          T.getCanonicalType()->getAsCXXRecordDecl())) {
    Template = Spec;
    Args = Spec->getTemplateArgs().asArray();
  } else if (const auto *TST = T->getAs<TemplateSpecializationType>()) {
    Template = TST->getTemplateName().getAsTemplateDecl();
    Args = TST->template_arguments();
  }
  if (!Template || !Template->getDeclName().isIdentifier() || Args.empty() ||
      Args[0].getKind() != TemplateArgument::Type)
    return {};
  std::string Name = canonicalName(Template);
  for (llvm::StringRef W : Wrappers)
    if (Name == W)
      return Args[0].getAsType();
  return {};
}

bool ChannelModel::reachesChannel(QualType T) const {
  if (T.isNull())
    return false;
  const Type *Key = T.getTypePtr();
  auto Cached = ReachCache.find(Key);
  if (Cached != ReachCache.end())
    return Cached->second;
  bool Is = false;
  for (unsigned Depth = 0; Depth < 4 && !T.isNull(); ++Depth) {
    T = T.getNonReferenceType();
    if (isChannel(T)) {
      Is = true;
      break;
    }
    if (T->isPointerType()) {
      T = T->getPointeeType();
      continue;
    }
    T = pointeeOfWrapper(T);
  }
  ReachCache[Key] = Is;
  return Is;
}

ChannelOp ChannelModel::classify(llvm::StringRef Name,
                                 const NamedDecl *Method) const {
  std::string Qualified;
  if (Method && Method->getDeclName().isIdentifier())
    Qualified = canonicalName(Method);
  auto In = [&](const llvm::StringSet<> &S) {
    return S.contains(Name) || (!Qualified.empty() && S.contains(Qualified));
  };
  if (In(CloseSet))
    return ChannelOp::Close;
  if (In(SendSet))
    return ChannelOp::Send;
  if (In(ReceiveSet))
    return ChannelOp::Receive;
  return ChannelOp::Other;
}

bool ChannelModel::returnsOnItsOwn(const CXXMethodDecl *M) {
  if (!M || !M->getDeclName().isIdentifier())
    return true;
  llvm::StringRef N = M->getName();
  return N.starts_with("try_") || N.starts_with("Try") ||
         N.contains("wait_for") || N.contains("wait_until") ||
         N.contains("_for") || N.contains("_until") || N.contains("timed") ||
         N.contains("Timed") || N.contains("For") || N.contains("Until");
}

bool ChannelModel::throwsWhenClosed(const CXXMethodDecl *M) {
  return M && M->getDeclName().isIdentifier() && M->getName() == "value_pop";
}

bool ChannelModel::failsPendingOps(const CXXMethodDecl *M) {
  return M && M->getDeclName().isIdentifier() && M->getName() == "cancel";
}

ChannelOp ChannelModel::classify(const CXXMethodDecl *M) const {
  if (!M || !M->getDeclName().isIdentifier())
    return ChannelOp::Other;
  return classify(M->getName(), M);
}

std::string ChannelModel::configKey() const {
  return configKeyOf({&ChannelTypes, &SendMethods, &ReceiveMethods, &CloseMethods});
}

} // namespace tether::model
