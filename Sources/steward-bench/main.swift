// steward-bench: measured figures for Steward, printed as a table with ratios.
//
//   swift run -c release steward-bench runtime    # the runtime's micro-figures
//
// Each figure is the median of several repetitions, run alternately in one process, so the
// ratios compare like with like on a noisy machine. Nothing here asserts: goals are checked
// by reading the table (BENCHMARKS.md records a run).
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
let suite = arguments.first ?? "runtime"
switch suite {
case "runtime":
    RuntimeBenchmarks.run(repetitions: 7)
default:
    FileHandle.standardError.write(Data("usage: steward-bench runtime\n".utf8))
    exit(2)
}
