import CLuaHost
import Foundation

/// A thread-safe handle that stops a running script: Ctrl-C in the REPL, a runner shutting
/// down, the deadline timer. Stopping arms a hook that raises at the next instruction; a
/// script stuck inside one C call is ended by ``LuaWatchdog``'s hard deadline instead.
public final class LuaCanceller: @unchecked Sendable {
    private let lock = NSLock()
    private var L: OpaquePointer?

    init(_ L: OpaquePointer) { self.L = L }

    /// Cancels the running script (a no-op once the state is closed).
    public func cancel() { trip(CLUA_TRIP_CANCELLED) }

    func trip(_ why: clua_trip) {
        lock.lock()
        defer { lock.unlock() }
        if let L { clua_trip(L, Int32(why.rawValue)) }
    }

    func invalidate() {
        lock.lock()
        L = nil
        lock.unlock()
    }
}

/// What the hard watchdog does when a script is still running after its deadline plus grace:
/// the script is stuck in one C call where no hook fires, and only ending the process (or the
/// worker process it runs in) stops it. Nothing is lost: scripts never write while they run.
public enum LuaHardDeadline: Sendable {
    /// Write a one-line message to stderr and `_exit` with `code` (3: a limit was exceeded).
    case exitProcess(code: Int32)
    /// Call `handler` on the watchdog's thread.
    case custom(@Sendable () -> Void)
    /// Do nothing (only for trusted code in tests).
    case none
}

/// Arms the soft deadline (a hook at the next instruction) and the hard deadline for one
/// outermost call. Costs nothing while the script runs: no hook until the deadline.
final class LuaWatchdog: @unchecked Sendable {
    private let soft: DispatchSourceTimer
    private let hard: DispatchSourceTimer

    init(canceller: LuaCanceller, timeout: Duration, grace: Duration, action: LuaHardDeadline) {
        let queue = DispatchQueue.global(qos: .userInitiated)
        soft = DispatchSource.makeTimerSource(queue: queue)
        hard = DispatchSource.makeTimerSource(queue: queue)
        soft.schedule(deadline: .now() + timeout.timeInterval)
        soft.setEventHandler { canceller.trip(CLUA_TRIP_TIMEOUT) }
        hard.schedule(deadline: .now() + (timeout + grace).timeInterval)
        let seconds = LuaDurationText.format(timeout)
        hard.setEventHandler {
            switch action {
            case .exitProcess(let code):
                let line = "error: time limit of \(seconds) exceeded (the script was stuck inside one library call and was stopped)\n"
                FileHandle.standardError.write(Data(line.utf8))
                _exit(code)
            case .custom(let handler): handler()
            case .none: break
            }
        }
        soft.resume()
        hard.resume()
    }

    func disarm() {
        soft.cancel()
        hard.cancel()
    }
}

extension Duration {
    var timeInterval: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}

/// Human-readable sizes and durations for limit messages ("64MB", "10s", "250ms").
public enum LuaByteCount {
    public static func format(_ bytes: Int) -> String {
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20)MB" }
        if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10)KB" }
        return "\(bytes) bytes"
    }

    /// Parses `64MB`, `512KB`, `1GB`, `1048576` (binary multiples, as the limits print).
    public static func parse(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(String, Int)] = [("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("G", 1 << 30),
                                      ("M", 1 << 20), ("K", 1 << 10), ("B", 1)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            guard let n = Int(t.dropLast(suffix.count)), n > 0 else { return nil }
            let (r, overflow) = n.multipliedReportingOverflow(by: scale)
            return overflow ? nil : r
        }
        guard let n = Int(t), n > 0 else { return nil }
        return n
    }
}

public enum LuaDurationText {
    public static func format(_ d: Duration) -> String {
        let ms = Int((d.timeInterval * 1000).rounded())
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(ms)ms"
    }

    /// Parses `10s`, `250ms`, `2m`, `1.5s`.
    public static func parse(_ text: String) -> Duration? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            guard let n = Double(t.dropLast(suffix.count)), n > 0, n.isFinite else { return nil }
            return .milliseconds(Int64((n * scale * 1000).rounded()))
        }
        return nil
    }
}
