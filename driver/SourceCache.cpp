//===--- SourceCache.cpp --------------------------------------------------===//

#include "SourceCache.h"
#include <algorithm>

namespace tether::driver {

SourceCache::Entry *SourceCache::get(llvm::StringRef File) {
  auto It = Files.find(File);
  if (It != Files.end())
    return It->second.Buffer ? &It->second : nullptr;
  Entry &E = Files[File];
  auto Buf = llvm::MemoryBuffer::getFile(File, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!Buf)
    return nullptr;
  E.Buffer = std::move(*Buf);
  llvm::StringRef Text = E.Buffer->getBuffer();
  E.LineStarts.push_back(0);
  for (size_t I = 0; I < Text.size(); ++I)
    if (Text[I] == '\n')
      E.LineStarts.push_back(unsigned(I + 1));
  return &E;
}

std::optional<std::pair<unsigned, unsigned>>
SourceCache::lineColumn(llvm::StringRef File, unsigned Offset) {
  Entry *E = get(File);
  if (!E || Offset > E->Buffer->getBufferSize())
    return std::nullopt;
  auto It = std::upper_bound(E->LineStarts.begin(), E->LineStarts.end(), Offset);
  unsigned Line = unsigned(It - E->LineStarts.begin());
  return std::make_pair(Line, Offset - E->LineStarts[Line - 1] + 1);
}

std::optional<llvm::StringRef> SourceCache::lineText(llvm::StringRef File,
                                                     unsigned Line) {
  Entry *E = get(File);
  if (!E || Line == 0 || Line > E->LineStarts.size())
    return std::nullopt;
  llvm::StringRef Text = E->Buffer->getBuffer();
  unsigned Begin = E->LineStarts[Line - 1];
  unsigned End = Line < E->LineStarts.size() ? E->LineStarts[Line] : Text.size();
  return Text.slice(Begin, End).rtrim("\r\n");
}

} // namespace tether::driver
