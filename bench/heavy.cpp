// A heavy translation unit: Boost.Asio, Boost.Fiber channels, <thread>,
// <future> and <ranges>, with realistic concurrent code. The bench measures
// what tether's checks add to clang's own parse of it.
#include <boost/asio.hpp>
#include <boost/fiber/buffered_channel.hpp>
#include <boost/fiber/unbuffered_channel.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <ranges>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

namespace heavy {

using Channel = boost::fibers::buffered_channel<std::string>;

class Ingest {
public:
  explicit Ingest(std::size_t workers) {
    for (std::size_t i = 0; i < workers; ++i)
      workers_.emplace_back([this](std::stop_token st) { run(st); });
  }
  ~Ingest() {
    lines_.close();
    for (auto &w : workers_)
      w.request_stop();
  }
  void submit(std::string line) { lines_.push(std::move(line)); }

private:
  void run(std::stop_token st) {
    std::string line;
    while (!st.stop_requested() &&
           lines_.pop(line) == boost::fibers::channel_op_status::success) {
      auto words = line | std::views::split(' ');
      count_ += std::ranges::distance(words);
    }
  }
  Channel lines_{64};
  std::atomic<long> count_{0};
  std::vector<std::jthread> workers_;
};

int serve(unsigned short port) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::tcp::v4(), port});
  std::vector<std::thread> pool;
  for (int i = 0; i < 4; ++i)
    pool.emplace_back([&io] { io.run(); });
  boost::asio::steady_timer timer(io, std::chrono::seconds(1));
  timer.async_wait([&](const boost::system::error_code &) { io.stop(); });
  for (auto &t : pool)
    t.join();
  return 0;
}

long parallel_sum(const std::vector<long> &values) {
  std::vector<std::future<long>> parts;
  for (std::size_t begin = 0; begin < values.size(); begin += 1024) {
    auto chunk = values | std::views::drop(begin) | std::views::take(1024);
    parts.push_back(std::async(std::launch::async, [chunk] {
      long s = 0;
      for (long v : chunk)
        s += v;
      return s;
    }));
  }
  long total = 0;
  for (auto &p : parts)
    total += p.get();
  return total;
}

} // namespace heavy
