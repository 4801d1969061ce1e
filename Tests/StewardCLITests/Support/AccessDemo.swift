import Foundation
import Testing

/// A demo district for the access-control CLI tests, made once per test process by
/// `steward demo` (which makes the account running the tests its admin) and copied for each
/// test. Other people act through `--as`, from that admin account:
///
/// | user   | role     | scope        |
/// | ------ | -------- | ------------ |
/// | (you)  | admin    | 金坛区        |
/// | 张伟    | approver | 金坛区, unmask |
/// | 赵敏    | operator | 金坛区        |
/// | 王芳    | operator | 儒林镇        |
/// | 李娜    | viewer   | 金城镇        |
struct AccessDemo {
    static let template: Result<URL, Error> = Result {
        let directory = try ProcessScratch.directory("steward-access-template")
        let db = directory.appendingPathComponent("demo.db")
        let r = try StewardBinary.run(["demo", "--db", db.path, "--members", "1500"], timeout: .seconds(120))
        guard r.exitCode == 0 else { throw Failure("steward demo failed: \(r.summary)") }
        return db
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// The operating-system account running the tests: the demo's admin.
    static let admin: String = {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "unknown"
    }()

    let scratch: ScratchDirectory
    let db: String

    init() throws {
        scratch = try ScratchDirectory("steward-access")
        let source = try Self.template.get()
        let target = scratch.url.appendingPathComponent("demo.db")
        try FileManager.default.copyItem(at: source, to: target)
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: source.path + suffix) {
            try FileManager.default.copyItem(atPath: source.path + suffix, toPath: target.path + suffix)
        }
        db = target.path
    }

    /// `steward ARGS --db DB [--as USER]`, with `stdin` piped in.
    @discardableResult
    func steward(_ arguments: [String], as user: String? = nil, stdin: String = "") throws -> StewardBinary.RunResult {
        var args = arguments + ["--db", db]
        if let user { args += ["--as", user] }
        return try StewardBinary.run(args, stdin: Data(stdin.utf8), in: scratch.url, timeout: .seconds(60))
    }

    /// Writes a script into the test's directory; returns its name.
    @discardableResult
    func script(_ name: String, _ source: String) throws -> String {
        try scratch.write(name, source)
        return name
    }

    /// `steward run NAME --commit` as `user`.
    func commit(_ name: String, as user: String?) throws -> StewardBinary.RunResult {
        try steward(["run", name, "--commit"], as: user)
    }

    /// The run id in "stored as run N".
    static func pendingRunID(_ r: StewardBinary.RunResult) -> String? {
        guard let range = r.stderrText.range(of: "stored as run ") else { return nil }
        return String(r.stderrText[range.upperBound...].prefix { $0.isNumber })
    }

    /// A GB 11643 identity number: `first17` and its check character.
    static func identityNumber(_ first17: String) -> String {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(first17, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return first17 + String(Array("10X98765432")[sum % 11])
    }

    /// The audit trail as JSON rows.
    func audit(_ filters: [String] = []) throws -> [[String: Any]] {
        let r = try steward(["audit", "--format", "json"] + filters)
        guard r.exitCode == 0 else { throw Failure("steward audit failed: \(r.summary)") }
        return (try JSONSerialization.jsonObject(with: r.stdout) as? [[String: Any]]) ?? []
    }

    /// An export as JSON rows.
    func export(_ kind: String, as user: String?, _ extra: [String] = []) throws -> (StewardBinary.RunResult, [[String: Any]]) {
        let r = try steward(["export", kind, "--format", "json"] + extra, as: user)
        let rows = r.exitCode == 0 ? (try JSONSerialization.jsonObject(with: r.stdout) as? [[String: Any]]) ?? [] : []
        return (r, rows)
    }
}

extension String {
    /// True when the text holds a run of exactly 18 digits (or 17 and an X): an identity
    /// number in full.
    var containsFullIdentityNumber: Bool {
        let scalars = Array(unicodeScalars)
        var i = 0
        while i < scalars.count {
            guard CharacterSet.decimalDigits.contains(scalars[i]), scalars[i].isASCII else { i += 1; continue }
            var j = i
            while j < scalars.count, scalars[j].isASCII, CharacterSet.decimalDigits.contains(scalars[j]) { j += 1 }
            let length = j - i + (j < scalars.count && scalars[j] == "X" ? 1 : 0)
            if length == 18 { return true }
            i = j
        }
        return false
    }
}
