// rnnlab-plugin-probe FILE: loads one plugin library as rnnlab would, in a
// process of its own (plugin_probe.cpp). Run by rnnlab before it loads a
// plugin; run it by hand (or under a debugger) to see why a plugin fails.
#include "plugin_probe.hpp"

int main(int argc, char** argv) { return rnnlab::probe::helper_main(argc, argv); }
