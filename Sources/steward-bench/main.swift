// steward-bench: measured figures for Steward, printed as a table with ratios.
//
// It runs the `steward` built next to it: build both first, the same way (BENCHMARKS.md):
//   swift build -c release --static-swift-stdlib --product steward
//   swift build -c release --static-swift-stdlib --product steward-bench
//   swift run -c release steward-bench runtime    # the runtime's micro-figures
//   swift run -c release steward-bench jobs       # whole jobs vs Python+sqlite3 and lua5.4 (1M members)
//   swift run -c release steward-bench soak       # 10,000 runs in one process: nothing may grow
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
case "jobs":
    // steward-bench jobs [MEMBERS] [REPETITIONS]
    let members = arguments.count > 1 ? Int(arguments[1]) ?? 1_000_000 : 1_000_000
    let reps = arguments.count > 2 ? Int(arguments[2]) ?? 3 : 3
    JobBenchmarks.run(members: members, repetitions: reps)
case "scheduler":
    // steward-bench scheduler [SCRIPTS] [MEMBERS]: job 4 alone, once
    let count = arguments.count > 1 ? Int(arguments[1]) ?? 1_000 : 1_000
    let members = arguments.count > 2 ? Int(arguments[2]) ?? 20_000 : 20_000
    exit(JobBenchmarks.scheduler(count: count, members: members))
case "soak":
    // steward-bench soak [RUNS] [CASE]: exit code 1 if memory, descriptors or registry grew
    exit(SoakBenchmark.run(runs: arguments.count > 1 ? Int(arguments[1]) ?? 10_000 : 10_000,
                           only: arguments.count > 2 ? arguments[2] : nil))
case "all":
    RuntimeBenchmarks.run(repetitions: 7)
    JobBenchmarks.run(members: 1_000_000, repetitions: 3)
default:
    FileHandle.standardError.write(Data("usage: steward-bench runtime | jobs [MEMBERS] [REPETITIONS] | scheduler [SCRIPTS] [MEMBERS] | soak [RUNS] | all\n".utf8))
    exit(2)
}
