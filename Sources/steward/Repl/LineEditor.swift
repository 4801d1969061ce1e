import CEditLine
import Foundation

/// Line editing through BSD libedit's wide-character API: emacs keys, history, Tab
/// completion, and Chinese text edited by character (libedit decodes UTF-8 input with the
/// locale's LC_CTYPE, which ``LineEditor/prepareLocale()`` makes UTF-8).
///
/// Ctrl-C: while a line is edited, the terminal's ISIG is off (`setty -d -isig`), so Ctrl-C
/// arrives as a key bound to `steward-interrupt`, which ends the line and marks it discarded.
/// While code runs, the terminal is back in its normal mode and Ctrl-C is a SIGINT for the
/// parent (see ``ReplInterrupts``).
final class LineEditor {
    enum Input {
        case line(String)
        /// Ctrl-C: the line (and any continuation) is dropped.
        case interrupted
        /// Ctrl-D on an empty line.
        case endOfInput
    }

    /// Completes the text before the cursor: (candidates, how many characters they replace).
    typealias Completer = (String) -> (candidates: [String], replace: Int)

    private let el: OpaquePointer
    private let history: OpaquePointer
    /// The prompt as libedit reads it (a stable buffer: the prompt function returns it).
    private var promptBuffer = UnsafeMutablePointer<wchar_t>.allocate(capacity: 1)
    private var interrupted = false
    var completer: Completer?

    /// Makes LC_CTYPE UTF-8 (from the environment, else C.UTF-8) so libedit decodes Chinese
    /// input; numbers keep the C locale's formatting.
    static func prepareLocale() {
        setlocale(LC_ALL, "")
        if ce_ctype_is_utf8() == 0 { setlocale(LC_CTYPE, "C.UTF-8") }
        setlocale(LC_NUMERIC, "C")
    }

    init?(program: String) {
        guard let el = ce_init(program), let history = ce_history_init(1000) else { return nil }
        self.el = el
        self.history = history
        promptBuffer.initialize(to: 0)
        ce_set_clientdata(el, Unmanaged.passUnretained(self).toOpaque())
        ce_set_editor(el, Self.wide("emacs"))
        ce_set_signal(el, 1)
        ce_set_history(el, history)
        ce_set_prompt(el, { el in
            guard let el, let data = ce_clientdata(el) else { return nil }
            let editor = Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
            return editor.promptBuffer
        }, 1)
        // Ctrl-C as a key while editing, not a signal.
        ce_setty(el, Self.wide("-d"), Self.wide("-isig"))
        // libedit keeps the name and help pointers of added functions: they must live for
        // the whole process.
        ce_add_function(el, Self.persistent("steward-interrupt"), Self.persistent("Discard the line"), { el, _ in
            guard let el, let data = ce_clientdata(el) else { return ce_cc_eof() }
            let editor = Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
            editor.interrupted = true
            ce_cursor_to_end(el)
            return ce_cc_newline()
        })
        ce_add_function(el, Self.persistent("steward-complete"), Self.persistent("Complete the name"), { el, _ in
            guard let el, let data = ce_clientdata(el) else { return ce_cc_error() }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().complete()
        })
        ce_bind(el, Self.wide("^C"), Self.wide("steward-interrupt"))
        ce_bind(el, Self.wide("^I"), Self.wide("steward-complete"))
        // The user's own ~/.editrc (vi mode, key bindings) applies on top.
        _ = ce_source_editrc(el)
    }

    deinit {
        el_end(el)
        ce_history_end(history)
        promptBuffer.deallocate()
    }

    /// Reads one line with `prompt` (which may hold colour sequences bracketed by \u{1}).
    func read(prompt: String) -> Input {
        let wide = Self.wide(prompt)
        promptBuffer.deallocate()
        promptBuffer = UnsafeMutablePointer<wchar_t>.allocate(capacity: wide.count)
        promptBuffer.initialize(from: wide, count: wide.count)
        interrupted = false
        el_resize(el)
        var count: Int32 = 0
        let result = el_wgets(el, &count)
        if interrupted {
            writeOut("\n")
            return .interrupted
        }
        guard let result, count > 0 else { return .endOfInput }
        var scalars = String.UnicodeScalarView()
        for i in 0..<Int(count) {
            if let s = Unicode.Scalar(UInt32(bitPattern: result[i])) { scalars.append(s) }
        }
        var line = String(scalars)
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    /// Adds a line to the in-memory history (adjacent duplicates are skipped by libedit).
    func remember(_ line: String) {
        ce_history_enter(history, Self.wide(line))
    }

    /// Tab: insert the common prefix of the candidates, or list them under the line.
    private func complete() -> UInt8 {
        guard let completer else { return ce_cc_error() }
        let buffer = ce_line_buffer(el)!
        let cursor = Int(ce_cursor_offset(el))
        var scalars = String.UnicodeScalarView()
        for i in 0..<cursor { if let s = Unicode.Scalar(UInt32(bitPattern: buffer[i])) { scalars.append(s) } }
        let before = String(scalars)
        let (candidates, replace) = completer(before)
        guard !candidates.isEmpty else { return ce_cc_error() }
        let typed = String(before.unicodeScalars.suffix(replace))
        let common = Self.commonPrefix(candidates)
        if common.unicodeScalars.count > typed.unicodeScalars.count {
            let rest = String(common.unicodeScalars.dropFirst(typed.unicodeScalars.count))
            el_winsertstr(el, Self.wide(rest))
            return ce_cc_refresh()
        }
        if candidates.count == 1 { return ce_cc_refresh() }
        writeOut("\n" + Self.columns(candidates, width: Self.terminalWidth()) + "\n")
        return ce_cc_redisplay()
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first.map({ Array($0.unicodeScalars) }) else { return "" }
        for w in words.dropFirst() {
            let s = Array(w.unicodeScalars)
            var n = 0
            while n < prefix.count, n < s.count, prefix[n] == s[n] { n += 1 }
            prefix = Array(prefix[0..<n])
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: prefix)
        return String(out)
    }

    static func columns(_ words: [String], width: Int) -> String {
        let cell = (words.map(\.count).max() ?? 0) + 2
        let perLine = max(1, width / max(cell, 1))
        var lines: [String] = []
        var i = 0
        let shown = words.prefix(300)
        while i < shown.count {
            let row = shown[i..<min(i + perLine, shown.count)]
            lines.append(row.map { $0.padding(toLength: cell, withPad: " ", startingAt: 0) }.joined()
                .trimmingCharacters(in: .whitespaces))
            i += perLine
        }
        if words.count > shown.count { lines.append("… and \(words.count - shown.count) more") }
        return lines.joined(separator: "\n")
    }

    static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    /// A wide string that is never freed (for libedit, which keeps the pointer).
    static func persistent(_ s: String) -> UnsafePointer<wchar_t> {
        let w = wide(s)
        let p = UnsafeMutablePointer<wchar_t>.allocate(capacity: w.count)
        p.initialize(from: w, count: w.count)
        return UnsafePointer(p)
    }

    static func wide(_ s: String) -> [wchar_t] {
        s.unicodeScalars.map { wchar_t(bitPattern: $0.value) } + [0]
    }
}
