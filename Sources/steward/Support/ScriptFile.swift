import ArgumentParser
import Foundation

/// A script read from disk: its text and the name errors show (the file name, never the full
/// path, so messages leak no directories).
struct ScriptFile {
    let name: String
    let text: String

    /// Reads `path`, or exits with code 2 and one line saying why.
    static func read(_ path: String) throws -> ScriptFile {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw fail("error: \(path): no such file")
        }
        guard !isDirectory.boolValue else { throw fail("error: \(path): is a directory, not a script") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw fail("error: \(path): cannot be read (permission denied?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw fail("error: \(path): is not UTF-8 text (scripts are UTF-8)")
        }
        return ScriptFile(name: url.lastPathComponent, text: text)
    }
}
