#include "rnnlab/lyapunov.hpp"
