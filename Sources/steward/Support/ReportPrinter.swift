import ArgumentParser
import Foundation
import StewardScripting

/// Prints a run report as text (output on stdout, errors on stderr) or as JSON.
struct ReportPrinter {
    let format: OutputFormat

    func print(_ report: RunReport) throws {
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(report)
            FileHandle.standardOutput.write(data)
            FileHandle.standardOutput.write(Data("\n".utf8))
        case .text:
            FileHandle.standardOutput.write(Data(report.output.utf8))
            for result in report.results where report.status == .ok {
                FileHandle.standardOutput.write(Data((result + "\n").utf8))
            }
            for warning in report.warnings { printError("warning: \(warning)") }
            if let error = report.error {
                printError(report.status == .limitExceeded ? "error: \(report.script): \(error.message)" : error.message)
            }
        }
    }

    static func exitCode(for report: RunReport) -> ExitCode {
        switch report.status {
        case .ok: return StewardExit.ok.code
        case .scriptError: return StewardExit.scriptError.code
        case .limitExceeded: return StewardExit.limit.code
        case .refused: return StewardExit.refused.code
        case .inputError: return StewardExit.usage.code
        case .crashed: return StewardExit.scriptError.code
        }
    }
}
