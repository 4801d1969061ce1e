import Foundation
import LuaRuntime
import StewardCore
import StewardStore
import Testing
@testable import StewardScripting

/// The API catalogue cannot drift from the bindings: the names a real state exposes to
/// scripts and the names the catalogue declares must be the same, both ways.
@Suite("API catalogue matches the bindings")
struct APICatalogueTests {
    /// What a script can see in a real, fully installed state on an empty store.
    struct Exposed {
        var base: Set<String>
        var tables: [String: Set<String>]
        var types: [String: Set<String>]
    }

    static func exposed() throws -> Exposed {
        let path = NSTemporaryDirectory() + "steward-catalogue-\(UUID().uuidString).db"
        defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
        let store = try Store.open(at: path, mode: .create)
        return try store.read { snapshot in
            let actor = RunActor(userName: "test", role: .admin, scopePlaceCode: "320482", isDistrictScope: true, canUnmask: true)
            // A slot, so `run.slot` exists as in a scheduled run.
            let context = HostContext(snapshot: snapshot, actor: actor, today: try CivilDate(year: 2025, month: 3, day: 1),
                                      slot: Date(timeIntervalSince1970: 1_740_787_200))
            let host = DomainHost(context: context, parameters: [:], dryRun: true)
            let state = try LuaState()
            defer { state.close() }
            try host.install(state)
            let base = Set(state.baseNames)
            var tables: [String: Set<String>] = [:]
            for name in base {
                let inside = state.names(in: name)
                if !inside.isEmpty { tables[name] = Set(inside) }
            }
            return Exposed(base: base, tables: tables,
                           types: state.registeredTypeMembers.mapValues { Set($0) })
        }
    }

    static func difference(_ what: String, exposed: Set<String>, declared: Set<String>) -> String {
        let missing = exposed.subtracting(declared).sorted()
        let extra = declared.subtracting(exposed).sorted()
        var parts: [String] = []
        if !missing.isEmpty { parts.append("exposed to scripts but not in the catalogue: \(missing.joined(separator: ", "))") }
        if !extra.isEmpty { parts.append("in the catalogue but not exposed: \(extra.joined(separator: ", "))") }
        return "\(what): " + parts.joined(separator: "; ")
            + ". Update Sources/StewardScripting/API/APICatalogue*.swift, then run dev/gen-reference."
    }

    @Test func globalNamesMatch() throws {
        let exposed = try Self.exposed()
        let declared = APICatalogue.globalNames
        #expect(exposed.base == declared, "\(Self.difference("globals", exposed: exposed.base, declared: declared))")
    }

    @Test func namesInsideEachGlobalTableMatch() throws {
        let exposed = try Self.exposed()
        let declared = APICatalogue.tableMembers
        for name in exposed.base.union(declared.keys).sorted() {
            let have = exposed.tables[name] ?? [], want = declared[name] ?? []
            #expect(have == want, "\(Self.difference("'\(name)'", exposed: have, declared: want))")
        }
    }

    @Test func hostTypeMembersMatch() throws {
        let exposed = try Self.exposed()
        let declared = APICatalogue.types.filter { $0.value.origin == .host }
        #expect(Set(exposed.types.keys) == Set(declared.keys),
                "\(Self.difference("host types", exposed: Set(exposed.types.keys), declared: Set(declared.keys)))")
        for (name, members) in exposed.types.sorted(by: { $0.key < $1.key }) {
            let want = declared[name]?.memberNames ?? []
            #expect(members == want, "\(Self.difference("type '\(name)'", exposed: members, declared: want))")
        }
    }

    /// What `steward check` calls left out really is out of reach.
    @Test func leftOutNamesAreNotExposed() throws {
        let exposed = try Self.exposed()
        for name in APICatalogue.leftOut.sorted() {
            let parts = name.split(separator: ".").map(String.init)
            if parts.count == 2 {
                #expect(exposed.tables[parts[0]]?.contains(parts[1]) != true, "\(name) is exposed")
            } else {
                #expect(!exposed.base.contains(name), "\(name) is exposed")
            }
        }
    }

    /// Types made by Stdlib/*.lua (tables with methods, like `tiers`) have no registration to
    /// ask: their methods are read from the Lua source (`function Tiers:first(...)`).
    @Test func stdlibTypeMethodsMatchTheLuaSource() throws {
        var defined: [String: Set<String>] = [:]
        for file in StdlibSources.files {
            let tokens = try LuaTokenizer.tokenize(file.source)
            for i in tokens.indices.dropLast(3) where tokens[i].isKeyword("function") {
                let owner = tokens[i + 1], separator = tokens[i + 2], method = tokens[i + 3]
                guard owner.kind == .name, separator.isSymbol(":"), method.kind == .name else { continue }
                defined[owner.text.lowercased(), default: []].insert(method.text)
            }
        }
        let declared = APICatalogue.types.filter { $0.value.origin == .stdlib }
        for (name, type) in declared {
            let have = defined[name] ?? []
            #expect(have == type.memberNames, "\(Self.difference("stdlib type '\(name)'", exposed: have, declared: type.memberNames))")
        }
        for (owner, methods) in defined where declared[owner] == nil {
            Issue.record("Stdlib defines methods \(methods.sorted()) on '\(owner)', which the catalogue does not declare as a type")
        }
    }

    /// Option tables whose keys the bindings also list must agree with them.
    @Test func optionKeysMatchTheBindings() {
        func keys(_ name: String) -> Set<String> { APICatalogue.optionTable(name)?.keyNames ?? [] }
        #expect(keys("MemberFilter") == Set(MemberBindings.filterKeys))
        #expect(keys("FacilityFilter") == Set(FacilityBindings.filterKeys))
        #expect(keys("LedgerOptions") == Options.known)
        #expect(keys("BookingOptions") == Options.known.union(["count"]))
        let kinds = ScriptHeader.ParameterSpec.Kind.allCases.map { "\"\($0.rawValue)\"" }
        let typeField = APICatalogue.optionTable("ParamSpec")?.fields.first { $0.name == "type" }?.type ?? ""
        #expect(Set(typeField.split(separator: "|").map(String.init)) == Set(kinds))
    }

    /// Every entry is complete: a summary, an example, a type for each parameter.
    @Test func everyEntryIsDocumented() {
        var functions: [(String, APIFunction)] = []
        for topic in APICatalogue.topics {
            functions += topic.functions.map { ($0.name, $0) }
            for library in topic.libraries { functions += library.functions.map { ("\(library.name).\($0.name)", $0) } }
            for type in topic.types { functions += type.methods.map { ("\(type.className):\($0.name)", $0) } }
            for type in topic.types {
                #expect(!type.example.isEmpty, "type \(type.name) has no example")
                for field in type.fields { #expect(!field.summary.isEmpty && !field.type.isEmpty, "\(type.name).\(field.name)") }
            }
        }
        for (name, f) in functions {
            #expect(!f.summary.isEmpty, "\(name) has no summary")
            #expect(!f.example.isEmpty, "\(name) has no example")
            for p in f.parameters { #expect(!p.type.isEmpty && !p.summary.isEmpty, "\(name): parameter \(p.name)") }
        }
    }

    /// Examples compile and use only names that exist (checked by `steward check`'s own rules:
    /// examples may use variables they do not define, but no unknown API name).
    @Test func examplesCompileAndUseRealNames() throws {
        var examples: [(String, String)] = []
        for topic in APICatalogue.topics {
            examples += topic.functions.map { ($0.name, $0.example) }
            examples += topic.values.map { ($0.name, $0.example) }
            for library in topic.libraries { examples += library.functions.map { ("\(library.name).\($0.name)", $0.example) } }
            for type in topic.types {
                examples.append((type.className, type.example))
                examples += type.methods.map { ("\(type.className):\($0.name)", $0.example) }
            }
        }
        let checker = try ScriptChecker()
        let api = APICatalogue.globalNames
        for (name, example) in examples {
            let state = try LuaState()
            defer { state.close() }
            #expect(throws: Never.self, "example of \(name) does not compile") { try state.load(example, name: name) }
            let scan = try LuaScopeScanner.scan(example)
            for read in scan.reads where !api.contains(read.name) && !scan.definedGlobals.contains(read.name) {
                Issue.record("example of \(name) reads '\(read.name)', which is not in the API")
            }
            let unknownFields = checker.names(scan, declaredParameters: nil)
                .filter { $0.message.hasPrefix("unknown name") || $0.message.hasPrefix("cannot") }
            #expect(unknownFields.isEmpty, "example of \(name): \(unknownFields)")
        }
    }

    @Test func catalogueSize() {
        let size = APICatalogue.entryCount
        #expect(size.functions > 100)
        #expect(size.types >= 10)
    }
}
