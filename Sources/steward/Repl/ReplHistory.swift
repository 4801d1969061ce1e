import Foundation

/// The REPL's history across sessions: `$XDG_STATE_HOME/steward/history`, else
/// `~/.local/state/steward/history`; mode 0600 (it may hold names and ID numbers typed into
/// queries), directory 0700. One entry a line, UTF-8, with `\` and newlines escaped; new
/// entries are appended as they are entered, so two sessions at once lose nothing; a line
/// equal to the previous one is not stored again; the file keeps the last 1,000 entries.
struct ReplHistory {
    static let limit = 1000
    let path: String
    private(set) var last: String?

    static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return state + "/steward/history"
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.local/state/steward/history"
    }

    init(path: String) {
        self.path = path
    }

    /// The stored entries, oldest first (and the file trimmed to the limit).
    mutating func load() -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        var entries = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
            .map { Self.unescape(String($0)) }
        if entries.count > Self.limit {
            entries = Array(entries.suffix(Self.limit))
            rewrite(entries)
        }
        last = entries.last
        return entries
    }

    /// Appends `line` unless it repeats the previous entry or is blank.
    mutating func append(_ line: String) {
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty, line != last else { return }
        last = line
        guard let fd = open(createDirectory: true, flags: O_WRONLY | O_APPEND | O_CREAT) else { return }
        defer { close(fd) }
        try? ReplIO.writeAll(fd, Data((Self.escape(line) + "\n").utf8))
    }

    private func rewrite(_ entries: [String]) {
        let temporary = path + ".tmp"
        let fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        fchmod(fd, 0o600)
        try? ReplIO.writeAll(fd, Data(entries.map { Self.escape($0) + "\n" }.joined().utf8))
        close(fd)
        rename(temporary, path)
    }

    private func open(createDirectory: Bool, flags: Int32) -> Int32? {
        let directory = (path as NSString).deletingLastPathComponent
        if createDirectory, !FileManager.default.fileExists(atPath: directory) {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o700])
        }
        let fd = Glibc.open(path, flags | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        // An older file made with a laxer umask is tightened.
        fchmod(fd, 0o600)
        return fd
    }

    static func escape(_ line: String) -> String {
        line.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func unescape(_ line: String) -> String {
        var out = ""
        var escaped = false
        for c in line {
            if escaped {
                out.append(c == "n" ? "\n" : c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }
}
