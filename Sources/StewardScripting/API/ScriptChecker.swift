import Foundation
import LuaRuntime
import StewardCore
import StewardStore

/// One problem `steward check` found, at a line of the script.
public struct CheckFinding: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "\(line): \(message)" }

    public static func < (a: Self, b: Self) -> Bool { (a.line, a.message) < (b.line, b.message) }
}

/// Checks a script without running it (beyond its `script{...}` header):
///
/// 1. it compiles (a syntax error ends the check of that script);
/// 2. every global it reads is in the API (``APICatalogue``) or defined by the script;
/// 3. every field of a library table it uses exists (`allocate.largest_remander`), and none
///    is assigned; `params.x` names a declared parameter; built-in names are not assigned;
/// 4. its header validates: `script{...}` is run against an empty scratch database, stopping
///    as soon as the header has been checked, so types and defaults are verified by the same
///    code that reads them in a real run.
///
/// Methods of host objects are not checked: the receiver's type is not known statically.
public final class ScriptChecker {
    let store: Store
    let storePath: String?
    /// Limits for the header run (the code before and in `script{}`).
    public var limits: LuaLimits = {
        var limits = LuaLimits()
        limits.timeout = .seconds(5)
        return limits
    }()

    /// A checker over `store` (an empty database: the header run sees no district data).
    public init(store: Store) {
        self.store = store
        storePath = nil
    }

    /// A checker with its own empty scratch database, deleted when the checker goes.
    public init() throws {
        let path = NSTemporaryDirectory() + "steward-check-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).db"
        store = try Store.open(at: path, mode: .create)
        storePath = path
    }

    deinit {
        if let storePath {
            for suffix in ["", "-wal", "-shm"] { unlink(storePath + suffix) }
        }
    }

    /// The chunk name scripts are compiled under; stripped from messages.
    static let chunk = "script"

    /// Every finding for `source`, ordered by line.
    public func check(_ source: String) -> [CheckFinding] {
        if let syntax = compile(source) { return [syntax] }
        let scan: LuaScopeScan
        do {
            scan = try LuaScopeScanner.scan(source)
        } catch {
            return [CheckFinding(line: error.line, message: "cannot follow the script to check its names: \(error.message)")]
        }
        var findings: [CheckFinding] = []
        var declared: Set<String>?  // parameter names, once the header is known
        if let call = scan.calls.first(where: { $0.name == "script" }) {
            let header = checkHeader(source, headerLines: Set(scan.calls.filter { $0.name == "script" }.map(\.line)),
                                     defaultLine: call.line)
            findings += header.findings
            declared = header.parameters
        } else {
            declared = []
        }
        findings += names(scan, declaredParameters: declared)
        return findings.sorted()
    }

    /// Compiles without running; a syntax error as a finding.
    func compile(_ source: String) -> CheckFinding? {
        do {
            let state = try LuaState(limits: limits)
            defer { state.close() }
            try state.load(source, name: Self.chunk)
            return nil
        } catch let error as LuaError {
            return Self.finding(error.message, defaultLine: 1)
        } catch {
            return CheckFinding(line: 1, message: "\(error)")
        }
    }

    /// `script:12: message` → line 12, `message`.
    static func finding(_ text: String, defaultLine: Int) -> CheckFinding {
        let prefix = chunk + ":"
        if text.hasPrefix(prefix) {
            let rest = text.dropFirst(prefix.count)
            if let colon = rest.firstIndex(of: ":"), let line = Int(rest[..<colon]) {
                return CheckFinding(line: line, message: rest[rest.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }
            return CheckFinding(line: defaultLine, message: rest.trimmingCharacters(in: .whitespaces))
        }
        return CheckFinding(line: defaultLine, message: text)
    }

    // MARK: the header

    /// Runs the script until its header has been validated. Errors raised by `script{}`
    /// itself are findings; errors from code before the header are not (it ran against an
    /// empty database, so a missing budget there says nothing about the script).
    func checkHeader(_ source: String, headerLines: Set<Int>, defaultLine: Int) -> (findings: [CheckFinding], parameters: Set<String>?) {
        let actor = RunActor(userName: "steward-check", role: .viewer, scopePlaceCode: "-", isDistrictScope: true, canUnmask: false)
        var report = RunReport(script: Self.chunk, status: .ok)
        var header: ScriptHeader?
        do {
            try store.read { snapshot in
                let context = HostContext(snapshot: snapshot, actor: actor, today: CivilDate(Date()))
                let host = DomainHost(context: context, parameters: [:], dryRun: true, headerOnly: true)
                let runner = ScriptRunner(installers: [host.install], hardDeadline: .exitProcess(code: 3))
                report = runner.run(source: source, name: Self.chunk, limits: limits)
                header = context.header
            }
        } catch {
            return ([CheckFinding(line: defaultLine, message: "cannot check the header: \(error)")], nil)
        }
        let parameters = header.map { Set($0.parameters.map(\.name)) }
        guard let error = report.error, error.message != HeaderBindings.headerCheckedMarker else { return ([], parameters) }
        // A required parameter has no value here (none are given): the header itself is fine.
        if header != nil, error.message.contains("is required: give --param") { return ([], parameters) }
        let finding = Self.finding(error.message, defaultLine: defaultLine)
        let positioned = error.message.hasPrefix(Self.chunk + ":")
        guard !positioned || headerLines.contains(finding.line) else { return ([], parameters) }
        return ([finding], parameters)
    }

    // MARK: names

    func names(_ scan: LuaScopeScan, declaredParameters: Set<String>?) -> [CheckFinding] {
        var findings: [CheckFinding] = []
        let api = APICatalogue.globalNames
        let defined = scan.definedGlobals

        // Built-in names cannot be assigned (the sandbox refuses it at run time).
        var reportedWrites = Set<String>()
        for write in scan.writes where api.contains(write.name) && reportedWrites.insert(write.name).inserted {
            findings.append(.init(line: write.line,
                                  message: "cannot assign to '\(write.name)': it is a built-in name (use a local variable)"))
        }

        // Unknown globals: once per name, at its first read.
        var reported = Set<String>()
        for read in scan.reads where !api.contains(read.name) && !defined.contains(read.name) {
            guard reported.insert(read.name).inserted else { continue }
            if APICatalogue.leftOut.contains(read.name) {
                findings.append(.init(line: read.line, message: "'\(read.name)' is not available to scripts (the sandbox leaves it out)"))
                continue
            }
            let candidates = api.union(defined).union(read.visibleLocals)
            findings.append(.init(line: read.line,
                                  message: "unknown global '\(read.name)'" + Self.suggestion(read.name, among: candidates)))
        }

        // Fields of library tables and of params/run.
        let tables = APICatalogue.tableMembers
        var reportedFields = Set<String>()
        for use in scan.fields where !defined.contains(use.table) {
            let qualified = "\(use.table).\(use.field)"
            if use.table == "params" {
                guard let declaredParameters, !declaredParameters.contains(use.field) else { continue }
                guard reportedFields.insert(qualified).inserted else { continue }
                let suggestion = Self.suggestion(use.field, among: declaredParameters, prefix: "params.")
                let message = declaredParameters.isEmpty
                    ? "unknown parameter '\(qualified)': the script declares no parameters (add script{ params = { \(use.field) = {...} } })"
                    : "unknown parameter '\(qualified)'"
                        + (suggestion.isEmpty ? " (declared: \(declaredParameters.sorted().joined(separator: ", ")))" : suggestion)
                findings.append(.init(line: use.line, message: message))
                continue
            }
            guard let members = tables[use.table] else { continue }
            if use.isWrite {
                guard reportedFields.insert(qualified).inserted else { continue }
                findings.append(.init(line: use.line, message: "cannot set '\(qualified)': '\(use.table)' is read-only"))
            } else if !members.contains(use.field) {
                guard reportedFields.insert(qualified).inserted else { continue }
                if APICatalogue.leftOut.contains(qualified) {
                    findings.append(.init(line: use.line, message: "'\(qualified)' is not available to scripts (the sandbox leaves it out)"))
                    continue
                }
                findings.append(.init(line: use.line, message: "unknown name '\(qualified)'"
                    + Self.suggestion(use.field, among: members, prefix: use.table + ".")))
            }
        }
        return findings
    }

    /// ` (did you mean 'total'?)` for the closest candidate within a small edit distance.
    static func suggestion(_ name: String, among candidates: Set<String>, prefix: String = "") -> String {
        let limit = name.count <= 3 ? 1 : name.count <= 6 ? 2 : 3
        var best: (distance: Int, name: String)?
        for candidate in candidates where candidate != name {
            let d = editDistance(name, candidate, limit: limit)
            guard d <= limit else { continue }
            if best == nil || (d, candidate) < (best!.distance, best!.name) { best = (d, candidate) }
        }
        return best.map { " (did you mean '\(prefix)\($0.name)'?)" } ?? ""
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit; stops early
    /// (returning limit + 1) when the distance must exceed `limit`.
    static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        let x = Array(a.lowercased().unicodeScalars), y = Array(b.lowercased().unicodeScalars)
        if abs(x.count - y.count) > limit { return limit + 1 }
        if x.isEmpty || y.isEmpty { return max(x.count, y.count) }
        var previous2 = [Int](repeating: 0, count: y.count + 1)
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            var rowMin = current[0]
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
                rowMin = min(rowMin, current[j])
            }
            if rowMin > limit { return limit + 1 }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[y.count]
    }
}
