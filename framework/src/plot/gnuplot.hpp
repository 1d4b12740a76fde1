#pragma once
// Running gnuplot safely (internal): no byte of user data reaches it as a
// command.
#include <string>

namespace rnnlab {

/// Checks an output path (image path without extension: no control
/// characters), creates its parent directory and returns it absolute, the
/// form that reaches gnuplot; throws Error / IoError naming it on failure.
std::string prepare_plot_output(const std::string& out);

/// Runs gnuplot on `script`; throws Error with gnuplot's message on failure.
void run_gnuplot(const std::string& script, const std::string& script_path);

/// `s` with every control character (newline, tab, ...) shown as \xNN.
std::string gnuplot_text(const std::string& s);

/// `s` as a gnuplot single-quoted string: control characters shown as
/// \xNN (gnuplot_text), quotes doubled; it cannot end the command.
std::string gnuplot_quote(const std::string& s);

}  // namespace rnnlab
