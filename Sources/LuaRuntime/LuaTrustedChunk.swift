import CLua
import CLuaHost

/// Trusted host Lua, compiled once per process and loaded into each state as bytecode.
///
/// A long-lived worker makes a fresh state for every run, and parsing the same host library
/// each time cost more than loading it compiled: the domain library's 8 KB took 1.35 M
/// instructions a state, a tenth of a small scheduled run. Compile it once, keep it here, and
/// ``LuaState/runTrusted(_:)`` loads the bytes.
///
/// Only this process's own compilation is ever loaded as binary: a corrupted binary chunk can
/// crash liblua (DESIGN.md), so scripts always load as text and nothing else reaches
/// `clua_load_host_binary`. Debug information is kept, so errors name the chunk and line as
/// the source would.
///
/// ```swift
/// static let library = Result { try LuaTrustedChunk(source, name: "report.lua") }
/// try state.runTrusted(library.get())
/// ```
public final class LuaTrustedChunk: Sendable {
    /// The chunk's name in messages (`report.lua:12: …`).
    public let name: String
    let bytecode: [UInt8]

    /// Compiles `source`; throws ``LuaError/syntax(message:)`` if it does not compile.
    public init(_ source: String, name: String) throws(LuaError) {
        self.name = name
        let L = luaL_newstate()!
        defer { lua_close(L) }
        var text = source
        let status = text.withUTF8 { buf in
            buf.withMemoryRebound(to: CChar.self) { clua_loadtext(L, $0.baseAddress, $0.count, "=" + name) }
        }
        guard status == LUA_OK else {
            let message = lua_tolstring(L, -1, nil).map { String(cString: $0) } ?? "does not compile"
            throw LuaError.syntax(message: message)
        }
        var out: [UInt8] = []
        let dumped = withUnsafeMutablePointer(to: &out) { buffer in
            lua_dump(L, { _, p, size, ud in
                let buffer = ud!.assumingMemoryBound(to: [UInt8].self)
                buffer.pointee.append(contentsOf: UnsafeRawBufferPointer(start: p, count: size))
                return 0
            }, buffer, 0)
        }
        guard dumped == 0 else { throw LuaError.api("\(name): lua_dump failed (\(dumped))") }
        bytecode = out
    }

    /// Loads the chunk as a function on top of `L`'s stack; returns Lua's status.
    func load(into L: OpaquePointer) -> Int32 {
        bytecode.withUnsafeBufferPointer { buf in
            buf.withMemoryRebound(to: CChar.self) { clua_load_host_binary(L, $0.baseAddress, $0.count, "=" + name) }
        }
    }
}
