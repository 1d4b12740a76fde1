#pragma once
// Lyapunov exponents of the network map and their derivatives (QR method).
// Shared by the `lyapunov` analysis and the `floss` rule.
// (Being written; see issue "Dynamics".)
