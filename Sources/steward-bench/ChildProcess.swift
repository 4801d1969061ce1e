import Foundation

/// Runs a child process and measures it: wall time, peak resident memory (from wait4's
/// rusage) and exit status. Output goes to a file (or /dev/null) so printing costs nothing.
enum ChildProcess {
    struct Measurement {
        var seconds: Double
        var peakBytes: Int
        var status: Int32
        var output: String
    }

    static func run(_ arguments: [String], outputFile: String? = nil) -> Measurement {
        let out = outputFile ?? NSTemporaryDirectory() + "steward-bench-\(getpid()).out"
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let start = DispatchTime.now().uptimeNanoseconds
        let rc = posix_spawnp(&pid, arguments[0], &actions, nil, &argv, environ)
        guard rc == 0 else { return Measurement(seconds: 0, peakBytes: 0, status: -1, output: "spawn failed: \(rc)") }
        var status: Int32 = 0
        var usage = rusage()
        wait4(pid, &status, 0, &usage)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        return Measurement(seconds: seconds, peakBytes: Int(usage.ru_maxrss) * 1024,
                           status: (status & 0x7f) == 0 ? (status >> 8) & 0xff : -(status & 0x7f), output: text)
    }
}
