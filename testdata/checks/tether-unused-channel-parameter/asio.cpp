// REQUIRES: asio
// RUN: not %tether --checks='-*,tether-unused-channel-parameter' %s -- %libstdcxx -DASIO_STANDALONE | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-unused-channel-parameter' %s -- %libcxx -DASIO_STANDALONE | FileCheck %s --implicit-check-not='warning:'

#include <asio/experimental/channel.hpp>
#include <asio/experimental/concurrent_channel.hpp>
#include <asio/io_context.hpp>

using Events = asio::experimental::channel<void(asio::error_code, int)>;
using Shared = asio::experimental::concurrent_channel<void(asio::error_code, int)>;

void log(int);

// CHECK: :[[@LINE+2]]:25: warning: channel parameter 'events' is never sent to, received from, closed or handed on: the caller's senders or receivers wait on a party that never comes [tether-unused-channel-parameter]
// CHECK: :[[@LINE+1]]:25: note: use the channel, drop the parameter, or leave it unnamed if the signature is imposed
void on_connect(Events &events, int fd) { log(fd); }

// CHECK: :[[@LINE+2]]:24: warning: channel parameter 'inbox' is never sent to, received from, closed or handed on: the caller's senders or receivers wait on a party that never comes [tether-unused-channel-parameter]
// CHECK: :[[@LINE+1]]:24: note: use the channel, drop the parameter, or leave it unnamed if the signature is imposed
void on_accept(Shared *inbox) {}

// --- Negatives -------------------------------------------------------------

void subscribe(Events &events) {
  events.async_receive([](asio::error_code, int v) { log(v); });
}

void on_stop(Shared &inbox) { inbox.cancel(); }
