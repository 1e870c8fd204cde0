// `net` is standalone Asio, or Boost.Asio when USE_BOOST_ASIO is defined: the
// coroutine tests run against both.
#pragma once

#ifdef USE_BOOST_ASIO
#include <boost/asio.hpp>
namespace net = boost::asio;
#else
#include <asio.hpp>
namespace net = asio;
#endif

using net::awaitable;
using net::co_spawn;
