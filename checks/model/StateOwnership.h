//===--- StateOwnership.h - whose code can change an object's state -------===//
//
// A poll waits for another thread to change something. Whether another
// thread can is partly a question of the type: the state of an atomic, a
// container or a concurrent queue lives in the object, and only code that
// names the object changes it; the state behind a future, a shared_ptr, a
// channel handle or a thread is shared with other objects by design, and a
// class of the user's may hand `this` to work of its own. Where the object
// can be named is the other half (analysis/Confinement.h).
//
//===----------------------------------------------------------------------===//

#ifndef TETHER_CHECKS_MODEL_STATEOWNERSHIP_H
#define TETHER_CHECKS_MODEL_STATEOWNERSHIP_H

#include "clang/AST/Type.h"

namespace tether::model {

/// Only code that names an object of type \p T can change its state: a
/// scalar other than a pointer, an array of such, an atomic, a standard or
/// concurrent container, a queue or channel that owns its buffer
/// (tbb::concurrent_queue, boost::lockfree::queue, Boost.Fiber's channels,
/// moodycamel's queues), or a plain aggregate of those. False for handles to
/// shared state (futures, smart pointers, references), threads and
/// executors, and classes of the user's with their own methods (unknown).
bool isSelfContained(clang::QualType T);

} // namespace tether::model

#endif
