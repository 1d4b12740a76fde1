#pragma once
// Learning-state checkpoints: everything that determines the rest of a
// training run, written atomically to one HDF5 file (docs/file-formats.md,
// "Checkpoints"), so that a run killed in the middle continues where the
// checkpoint left it and ends bit-identical to an uninterrupted run.
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "rnnlab/app/trainer.hpp"

namespace rnnlab::checkpoint {

struct Data {
  std::string identity;   ///< what made it (a sweep's config hash and run id, or a training's fingerprint)
  std::size_t phase = 0;  ///< 0-based phase in progress
  PhaseState state;       ///< of that phase
  arma::vec initial;      ///< the weights before training
  /// Phases before `phase`: logged (phase 1-based, iteration, loss), and
  /// the final loss of the last one that ran iterations (NaN if none).
  std::vector<std::tuple<std::size_t, std::size_t, double>> curve;
  double final_loss = 0;
  /// Results of the analyses before training (they saw the initial network)
  /// and where earlier phases stopped (phase<p>_stopped).
  std::map<std::string, double> scalars;
  std::map<std::string, std::vector<double>> arrays;
  /// What the monitors recorded in the phases before `phase`.
  std::vector<MonitorLog> monitors;
};

/// Writes `data` to `path` atomically (temporary, fsync, rename).
void write(const std::string& path, const Data& data);

/// The checkpoint at `path`, or nothing if there is none. Throws IoError
/// naming the file if it is damaged or was made by something else than
/// `identity` (another config, network or protocol).
std::optional<Data> read(const std::string& path, const std::string& identity);

}  // namespace rnnlab::checkpoint
