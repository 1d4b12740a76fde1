// A valid shared library without the RNNLAB_PLUGIN entry point.
#include <boost/config.hpp>

extern "C" BOOST_SYMBOL_EXPORT int some_other_function() { return 42; }
