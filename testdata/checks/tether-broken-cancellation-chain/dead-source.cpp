// A child handed the token of the parent's own local std::stop_source is
// only as stoppable as that source. When nothing ever calls request_stop()
// on it and no std::stop_callback links it to the parent's token, the link
// is dead: the child keeps running after the parent is asked to stop, and
// joining it only waits longer.
// RUN: not %tether --checks='-*,tether-broken-cancellation-chain' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-broken-cancellation-chain' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <future>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

void fetch_page(const std::string &url);
int count_links(std::stop_token st, const std::string &url);
void register_canceller(std::stop_source &source);

// A crawler that gives its fetcher a source of its own and never stops it.
void crawl(std::stop_token st, const std::vector<std::string> &urls) {
  // CHECK-DAG: :[[@LINE+1]]:20: note: 'fetchers' is declared here; nothing calls request_stop() on it and no std::stop_callback links it to 'st'
  std::stop_source fetchers;
  // CHECK-DAG: :[[@LINE+1]]:15: warning: thread started in a stop-aware function is handed the token of 'fetchers', a stop source nothing ever stops: the child keeps running after the parent is asked to stop [tether-broken-cancellation-chain]
  std::thread fetch([tok = fetchers.get_token(), &urls] {
    for (const std::string &url : urls) {
      if (tok.stop_requested())
        return;
      fetch_page(url);
    }
  });
  // CHECK-DAG: :[[@LINE-11]]:28: note: the parent's stop token is received here
  // CHECK-DAG: :[[@LINE-8]]:15: note: register a std::stop_callback on 'st' that calls 'fetchers.request_stop()', or hand the child 'st' itself
  fetch.join();
}

// The same dead link handed to a task.
int census(std::stop_token st, const std::string &url) {
  std::stop_source counting;
  // CHECK-DAG: :[[@LINE+1]]:16: warning: task started in a stop-aware function is handed the token of 'counting', a stop source nothing ever stops
  auto links = std::async(std::launch::async, count_links,
                          counting.get_token(), url);
  return links.get();
}

// Linked: a stop_callback on the parent's token stops the child's source.
void crawl_linked(std::stop_token st, const std::vector<std::string> &urls) {
  std::stop_source fetchers;
  std::stop_callback forward(st, [&fetchers] { fetchers.request_stop(); });
  std::thread fetch([tok = fetchers.get_token(), &urls] {
    for (const std::string &url : urls) {
      if (tok.stop_requested())
        return;
      fetch_page(url);
    }
  });
  fetch.join();
}

// Stopped by the parent itself once its own loop ends.
void crawl_until_stopped(std::stop_token st, const std::vector<std::string> &urls) {
  std::stop_source fetchers;
  std::thread fetch([tok = fetchers.get_token(), &urls] {
    while (!tok.stop_requested())
      for (const std::string &url : urls)
        fetch_page(url);
  });
  while (!st.stop_requested())
    std::this_thread::yield();
  fetchers.request_stop();
  fetch.join();
}

// Handed to someone else who may stop it.
int census_cancellable(std::stop_token st, const std::string &url) {
  std::stop_source counting;
  register_canceller(counting);
  auto links = std::async(std::launch::async, count_links,
                          counting.get_token(), url);
  return links.get();
}

// The parent's own token goes to the child.
int census_direct(std::stop_token st, const std::string &url) {
  auto links = std::async(std::launch::async, count_links, st, url);
  return links.get();
}
