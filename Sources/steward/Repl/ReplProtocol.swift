import Foundation
import StewardCore
import StewardScripting

// The REPL's two processes talk over pipes: the parent (line editing, printing, commits)
// writes requests to the worker's stdin; the worker (one Lua state for the session) answers
// on its stdout. Each message is one frame: a 4-byte big-endian length, then that many bytes
// of JSON. While evaluating, the worker may send `output` and `phase` frames before the
// final answer.

/// What the worker needs to build the session: the same actor, date and limits as
/// `steward run` by the same user.
struct ReplHello: Codable, Sendable {
    var databasePath: String
    var userName: String
    var role: String
    var scopePlaceCode: String
    var isDistrictScope: Bool
    var canUnmask: Bool
    var today: String
    var memoryBytes: Int?
    var instructions: Int?
    var timeoutMs: Int64
    var hardGraceMs: Int64
    var outputBytes: Int?
}

/// Parent → worker.
struct ReplRequest: Codable, Sendable {
    enum Kind: String, Codable, Sendable {
        /// First frame: build the session (``ReplHello``).
        case hello
        /// Evaluate `source` (`expression`: try it as `return <source>` first).
        case eval
        /// Completion candidates for the text before the cursor (`text`).
        case complete
        /// `\d` (no `text`) or `\d NAME`.
        case describe
        /// `\help NAME`: what the name is in this session.
        case help
        /// The pending change set, with budgets before/after.
        case pending
        /// Drop the pending effects (`\rollback`, or after `\commit` applied them).
        case discard
        /// `\run FILE`: a dry run of a whole script in a fresh state, apart from the session.
        case runScript
        /// Test hooks, honoured only when STEWARD_REPL_TEST_HOOKS=1 (see ReplTestHooks).
        case testCrash, testHang
    }

    var kind: Kind
    var hello: ReplHello?
    var source: String?
    var name: String?
    var expression: Bool?
    /// Whether a chunk that ends early is answered `incomplete` (false at end of input).
    var allowIncomplete: Bool?
    var text: String?
    var maxRows: Int?

    init(_ kind: Kind, source: String? = nil, name: String? = nil, expression: Bool? = nil,
         allowIncomplete: Bool? = nil, text: String? = nil, maxRows: Int? = nil, hello: ReplHello? = nil) {
        self.kind = kind
        self.allowIncomplete = allowIncomplete
        self.source = source
        self.name = name
        self.expression = expression
        self.text = text
        self.maxRows = maxRows
        self.hello = hello
    }
}

/// Worker → parent.
struct ReplReply: Codable, Sendable {
    enum Kind: String, Codable, Sendable {
        /// The session is built (answer to `hello`).
        case ready
        /// One line the code printed (streamed while it runs).
        case output
        /// The code finished; the results are being rendered (restarts the parent's deadline).
        case phase
        /// An evaluation ended: `values` or `error`.
        case done
        /// The chunk is incomplete (a syntax error at `<eof>`): more lines are needed.
        case incomplete
        /// Completion candidates.
        case completions
        /// Documents to print (`\d`, `\help`).
        case documents
        /// The pending change set (`report`).
        case pending
        /// A whole script's dry run (`report`).
        case report
        /// A request failed (`error`).
        case failed
    }

    var kind: Kind
    var line: String?
    var values: [ReplDocument]?
    var error: String?
    /// `syntax`, `runtime`, `limit.memory`, `limit.time`, ..., `cancelled`.
    var errorKind: String?
    /// Effects accepted by this evaluation, in order (the parent keeps a copy so that it can
    /// name what a crash lost).
    var newEffects: [Effect]?
    var pendingCount: Int?
    var warnings: [String]?
    var durationMs: Double?
    var completions: [String]?
    /// How many characters before the cursor the completions replace.
    var replace: Int?
    var report: RunReport?
    var text: String?

    init(_ kind: Kind) { self.kind = kind }
}

/// Length-prefixed JSON frames over a pair of file descriptors.
struct ReplChannel {
    static let maxFrame = 256 << 20

    let input: Int32
    let output: Int32

    func send<T: Encodable>(_ message: T) throws {
        let body = try JSONEncoder().encode(message)
        var frame = Data(capacity: body.count + 4)
        let n = UInt32(body.count)
        frame.append(contentsOf: [UInt8(n >> 24), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)])
        frame.append(body)
        try ReplIO.writeAll(output, frame)
    }

    /// The next frame, or nil at end of input.
    func receive<T: Decodable>(_ type: T.Type) throws -> T? {
        guard let header = try ReplIO.readExactly(input, 4) else { return nil }
        let n = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        guard n <= Self.maxFrame else { throw ReplIO.Failure("frame of \(n) bytes is too large") }
        guard let body = try ReplIO.readExactly(input, n) else { return nil }
        return try JSONDecoder().decode(T.self, from: body)
    }
}

/// Blocking reads and writes on raw descriptors, retrying on EINTR.
enum ReplIO {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func writeAll(_ fd: Int32, _ data: Data) throws {
        try data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buf.count {
                let n = write(fd, buf.baseAddress! + offset, buf.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Failure("write failed: \(String(cString: strerror(errno)))")
                }
                offset += n
            }
        }
    }

    /// Exactly `count` bytes, or nil if the stream ended first (before or inside them).
    static func readExactly(_ fd: Int32, _ count: Int) throws -> Data? {
        var data = Data(count: count)
        var offset = 0
        while offset < count {
            let n = data.withUnsafeMutableBytes { read(fd, $0.baseAddress! + offset, count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure("read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { return nil }
            offset += n
        }
        return data
    }
}
