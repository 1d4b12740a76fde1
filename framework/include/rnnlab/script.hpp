#pragma once
// Forwarding header for plugins and programs written before SDK 2.0, which
// moved this header to rnnlab/app/script.hpp (see docs/writing-a-plugin.md,
// "Migrating to SDK 2.0"). It will be removed in the next release.
#include "rnnlab/app/script.hpp"
