import ChildProcess
import Foundation

extension ChildProcess {
    /// One measured run of a command: wall time, peak resident memory and exit status.
    struct Measurement {
        var seconds: Double
        var peakBytes: Int
        /// The exit code, or minus the signal that ended the process, or -1 if it did not start.
        var status: Int32
        var output: String
        /// What it wrote to standard error: the reason, when a run fails.
        var errorOutput: String

        /// Standard error if it said anything, else standard output: for a failure's message.
        var diagnostics: String {
            let error = errorOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            return String((error.isEmpty ? output : error).prefix(300))
        }
    }

    /// Runs `arguments` (the first is the program, looked up in PATH) and measures it. Output
    /// goes to `outputFile` when given, so that printing a large result costs nothing here.
    static func measure(_ arguments: [String], outputFile: String? = nil) -> Measurement {
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            let child = try ChildProcess(arguments[0], Array(arguments.dropFirst()), stdin: .null,
                                         stdout: outputFile.map { .file($0) } ?? .collect, stderr: .collect)
            let status = child.wait()!
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let text = outputFile.map { (try? String(contentsOfFile: $0, encoding: .utf8)) ?? "" }
                ?? String(decoding: child.output, as: UTF8.self)
            let code: Int32
            switch status {
            case .exited(let c): code = c
            case .signalled(let s): code = -s
            }
            return Measurement(seconds: seconds, peakBytes: child.peakMemoryBytes, status: code, output: text,
                               errorOutput: String(decoding: child.errorOutput, as: UTF8.self))
        } catch {
            return Measurement(seconds: 0, peakBytes: 0, status: -1, output: "", errorOutput: "\(error)")
        }
    }
}
