// swift-tools-version:6.0
// Steward: a Swift host that runs district administrators' Lua 5.4 scripts in a sandbox and
// turns what they propose into exact, audited changes. See README.md and DESIGN.md.
import PackageDescription

let package = Package(
    name: "Steward",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "steward", targets: ["steward"]),
        .executable(name: "steward-bench", targets: ["steward-bench"]),
        .library(name: "LuaRuntime", targets: ["LuaRuntime"]),
        .library(name: "StewardCore", targets: ["StewardCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // Debian's liblua5.4 (apt: liblua5.4-dev): Lua's own headers, and nothing of ours, since
        // SwiftPM does not track a system library's header.
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        // Steward's C over Lua, a file per concern: the wrappers of Lua's macros (inline), the
        // counting allocator, the limit hook, the trampoline into Swift, property reads, the
        // sandbox's C functions. A C target, so an edit to any of its files rebuilds.
        .target(name: "CLuaHost", dependencies: ["CLua"]),
        // BSD libedit (apt: libedit-dev) for the REPL's line editing: never GNU readline (GPL).
        // Only the `steward` executable depends on it.
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // zlib (apt: zlib1g-dev): large run records store their effects deflated.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // glibc's posix_spawn extensions (closefrom, chdir), compiled with _GNU_SOURCE.
        .target(name: "CSpawnExtras"),
        // Child processes without Foundation's Process, whose run() can crash the parent on
        // Linux. Used by the worker, the runner, the REPL, the benchmark and the tests.
        .target(name: "ChildProcess", dependencies: ["CSpawnExtras"]),
        // Domain-free Swift layer over lua_State: values, calls, userdata, sandbox, limits.
        .target(name: "LuaRuntime", dependencies: ["CLua", "CLuaHost", "ChildProcess"]),
        // Domain types and rules. Imports nothing of ours: no Lua, no SQL.
        .target(name: "StewardCore"),
        // Persistence on SQLite through GRDB, behind a narrow seam.
        .target(name: "StewardStore", dependencies: [
            "StewardCore", "CZlib",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The host API: binds the domain into Lua, loads Stdlib/, runs a script as one run.
        .target(name: "StewardScripting", dependencies: [
            "LuaRuntime", "CLuaHost", "StewardCore", "StewardStore",
        ]),
        // Cron expressions, slots, catch-up planning, the runner loop, run history. Runs are
        // executed through an injected executor, so the scheduler knows nothing of Lua.
        .target(name: "StewardScheduler", dependencies: ["StewardCore"]),
        .executableTarget(name: "steward", dependencies: [
            "LuaRuntime", "CLuaHost", "StewardCore", "StewardStore", "StewardScripting", "StewardScheduler", "CEditLine",
            "ChildProcess",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "steward-bench", dependencies: [
            "ChildProcess", "LuaRuntime", "StewardCore", "StewardStore", "StewardScripting",
        ]),
        // Seeded randomness shared by the test targets: SplitMix64, fuzz seeds, the long flag.
        .target(name: "TestRandom", path: "Tests/TestRandom"),
        .testTarget(name: "ChildProcessTests", dependencies: ["ChildProcess"]),
        .testTarget(name: "LuaRuntimeTests", dependencies: ["LuaRuntime", "CLuaHost", "TestRandom"], exclude: ["Hostile"]),
        .testTarget(name: "StewardCoreTests", dependencies: ["StewardCore", "TestRandom"]),
        .testTarget(name: "StewardStoreTests", dependencies: ["StewardStore", "StewardCore", "ChildProcess", "TestRandom"],
                    exclude: ["Corpus"]),
        .testTarget(name: "StewardScriptingTests", dependencies: [
            "StewardScripting", "StewardStore", "StewardCore", "LuaRuntime", "TestRandom",
        ]),
        .testTarget(name: "StewardSchedulerTests", dependencies: ["StewardScheduler", "TestRandom"], exclude: ["Corpus"]),
        // The benchmark's own logic: how it reads each program's results and compares them.
        .testTarget(name: "StewardBenchTests", dependencies: ["steward-bench"]),
        .testTarget(name: "StewardCLITests", dependencies: [
            "StewardCore", "LuaRuntime", "StewardScripting", "ChildProcess", "TestRandom",
        ]),
    ]
)
