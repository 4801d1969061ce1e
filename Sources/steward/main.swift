// The `steward` executable. Every failure exits with one of the documented codes
// (`StewardExit`): parsing errors give 2, not ArgumentParser's default 64.
import ArgumentParser
import Foundation

do {
    var command = try Steward.parseAsRoot()
    try command.run()
    exit(0)
} catch let code as ExitCode {
    exit(code.rawValue)
} catch {
    if Steward.exitCode(for: error) == .success {  // --help, --version
        print(Steward.fullMessage(for: error))
        exit(0)
    }
    // One line: what is wrong. `--help` shows the usage.
    let message = Steward.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
    printError(message.hasPrefix("error:") || message.hasPrefix("Error:") ? "error:" + message.dropFirst(6) : "error: \(message)")
    exit(StewardExit.usage.rawValue)
}
