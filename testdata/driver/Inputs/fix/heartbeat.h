#include <thread>

void beat();

// A stop path joins the thread, the destructor does not: the jthread fix.
class Heartbeat {
public:
  Heartbeat() : beat_(beat) {}
  void stop() {
    if (beat_.joinable())
      beat_.join();
  }

private:
  std::thread beat_;
};
