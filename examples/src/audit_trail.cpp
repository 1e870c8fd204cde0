// AuditTrail: dispatch decisions are appended to an audit file by one writer
// thread, so the dispatcher workers never wait on disk.
#include "courier/channel.h"
#include "courier/log.h"

#include <string>
#include <thread>
#include <utility>

namespace courier {

class AuditTrail {
 public:
  AuditTrail() = default;
  AuditTrail(const AuditTrail&) = delete;
  AuditTrail& operator=(const AuditTrail&) = delete;
  ~AuditTrail();

  void start();
  void record(std::string entry);
  void stop();

 private:
  void write_all();

  Channel<std::string> entries_;
  std::thread writer_;
};

AuditTrail::~AuditTrail() { stop(); }

void AuditTrail::start() {
  writer_ = std::thread([this] { write_all(); });
}

void AuditTrail::record(std::string entry) { entries_.send(std::move(entry)); }

void AuditTrail::stop() {
  if (writer_.joinable()) writer_.join();
}

void AuditTrail::write_all() {
  std::string entry;
  // Review: this loop ends only when `entries_` is closed, and nothing
  // closes it: stop() (and with it the destructor) waits in join() forever.
  // stop() should close the channel (the senders are done by then), then
  // join the writer.
  while (entries_.receive(entry)) log("audit", entry);
}

}  // namespace courier
