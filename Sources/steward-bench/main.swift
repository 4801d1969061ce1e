// steward-bench: measured figures for Steward, printed as a table with ratios.
//
// It runs the `steward` built next to it, so build both the same way first; `dev/bench`
// does that and then runs this with its arguments:
//   dev/bench                       # everything: jobs 1–5 over 1M members and the runtime's
//                                   # micro-figures (job 6), in one table
//   dev/bench jobs [MEMBERS] [REPS] # the whole jobs alone, vs Python+sqlite3 and lua5.4
//   dev/bench runtime               # the runtime's micro-figures alone
//   dev/bench scheduler [SCRIPTS] [MEMBERS]  # job 4 alone
//   dev/bench soak [RUNS] [CASE]    # 10,000 runs in one process: nothing may grow
//
// Each figure is the median of several repetitions, run alternately in one process, so the
// ratios compare like with like on a noisy machine. Goals are read from the table, not
// asserted; the exit status is 1 when a program failed or two programs' results differ.
import Foundation

let usage = """
    usage: steward-bench [all [MEMBERS] [REPETITIONS]]
           steward-bench jobs [MEMBERS] [REPETITIONS]
           steward-bench runtime [REPETITIONS]
           steward-bench scheduler [SCRIPTS] [MEMBERS]
           steward-bench soak [RUNS] [CASE]
    """

/// Stops with the usage and exit status 2.
func usageError(_ message: String) -> Never {
    FileHandle.standardError.write(Data("steward-bench: \(message)\n\(usage)\n".utf8))
    exit(2)
}

/// The positive whole number at `index` of `arguments`, or `fallback` when absent.
func positiveNumber(_ arguments: [String], _ index: Int, _ what: String, default fallback: Int) -> Int {
    guard index < arguments.count else { return fallback }
    guard let value = Int(arguments[index].replacingOccurrences(of: "_", with: "")), value > 0 else {
        usageError("\(what) must be a positive whole number, not '\(arguments[index])'")
    }
    return value
}

/// Prints the problems under the table and exits 1 if there were any.
func finish(_ problems: [String]) -> Never {
    guard !problems.isEmpty else { exit(0) }
    print("\n\(problems.count) problem(s): the figures above do not compare like with like")
    for problem in problems { print("  ! \(problem)") }
    exit(1)
}

let arguments = Array(CommandLine.arguments.dropFirst())
let suite = arguments.first ?? "all"
if suite == "-h" || suite == "--help" {
    print(usage)
    print("Runs the steward built next to it; dev/bench builds both and runs this. See BENCHMARKS.md.")
    exit(0)
}
let known = ["all": 3, "jobs": 3, "runtime": 2, "scheduler": 3, "soak": 3]
guard let most = known[suite] else { usageError("unknown suite '\(suite)'") }
if arguments.count > most { usageError("too many arguments for \(suite)") }
guard FileManager.default.isExecutableFile(atPath: JobBenchmarks.steward) || suite == "runtime" || suite == "soak" else {
    usageError("""
        no steward next to this program (\(JobBenchmarks.steward)): build both the same way,
          swift build -c release --static-swift-stdlib --product steward
          swift build -c release --static-swift-stdlib --product steward-bench
        or run dev/bench, which does
        """)
}
do {
    switch suite {
    case "all":
        let members = positiveNumber(arguments, 1, "MEMBERS", default: 1_000_000)
        let reps = positiveNumber(arguments, 2, "REPETITIONS", default: 3)
        let (jobs, problems) = try JobBenchmarks.rows(members: members, repetitions: reps)
        let runtime = RuntimeBenchmarks.rows(repetitions: 7).map { row in
            var row = row
            row.name = "6 " + row.name
            return row
        }
        Bench.printTable("Jobs 1–5 over \(members) members (median of \(reps), wall time of whole processes); "
                         + "6: the runtime (median of 7, per operation net of the empty loop)", jobs + runtime)
        finish(problems)
    case "jobs":
        let members = positiveNumber(arguments, 1, "MEMBERS", default: 1_000_000)
        let reps = positiveNumber(arguments, 2, "REPETITIONS", default: 3)
        let (rows, problems) = try JobBenchmarks.rows(members: members, repetitions: reps)
        Bench.printTable("Jobs over \(members) members (median of \(reps), wall time of whole processes)", rows)
        finish(problems)
    case "runtime":
        let reps = positiveNumber(arguments, 1, "REPETITIONS", default: 7)
        Bench.printTable("Runtime (median of \(reps); per-operation figures net of the empty loop)",
                         RuntimeBenchmarks.rows(repetitions: reps))
    case "scheduler":
        let scripts = positiveNumber(arguments, 1, "SCRIPTS", default: 1_000)
        let members = positiveNumber(arguments, 2, "MEMBERS", default: 20_000)
        exit(try JobBenchmarks.scheduler(count: scripts, members: members) ? 0 : 1)
    default:
        // soak: exit status 1 if memory, descriptors or the registry grew
        exit(SoakBenchmark.run(runs: positiveNumber(arguments, 1, "RUNS", default: 10_000), only: arguments.count > 2 ? arguments[2] : nil))
    }
} catch {
    print("steward-bench: \(error)")
    exit(1)
}
