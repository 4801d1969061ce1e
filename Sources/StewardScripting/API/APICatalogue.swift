/// Every name a script can use, declared once: each global function, library table and its
/// functions, global value, and every property and method of every object type, with a
/// signature, a one-line summary, its parameters, what it returns and an example.
///
/// `docs/REFERENCE.md` and `Stdlib/steward.d.lua` are generated from this list
/// (`steward reference`), `steward check` uses it to find unknown names, and
/// `APICatalogueTests` fails when it and the names a real state exposes differ in either
/// direction. Add a binding → add its entry here → run `dev/gen-reference`.
///
/// The entries live in one file per topic (`APICatalogue+Money.swift`, ...).
public enum APICatalogue {
    /// The topics in reference order.
    public static let topics: [APITopic] = [
        script, money, dates, members, facilities, programmes, budgets, holdings, effects, allocation, reports,
        standardLua,
    ]

    /// Option-table classes that are not tied to one topic's functions but shared.
    public static var optionTables: [APIOptionTable] { topics.flatMap(\.optionTables) }

    /// Names defined in the base environment: global functions, library tables and values.
    public static var globalNames: Set<String> {
        var names = Set<String>()
        for topic in topics {
            names.formUnion(topic.functions.map(\.name))
            names.formUnion(topic.libraries.map(\.name))
            names.formUnion(topic.values.map(\.name))
        }
        return names
    }

    /// For each global table (library or value with known fields), the names inside it.
    public static var tableMembers: [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        for topic in topics {
            for library in topic.libraries { out[library.name] = library.memberNames }
            for value in topic.values where !value.fields.isEmpty {
                out[value.name] = Set(value.fields.map(\.name))
            }
        }
        return out
    }

    /// Every object type, by Lua type name.
    public static var types: [String: APIType] {
        Dictionary(topics.flatMap(\.types).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// A global function by name.
    public static func function(_ name: String) -> APIFunction? {
        for topic in topics { if let f = topic.functions.first(where: { $0.name == name }) { return f } }
        return nil
    }

    /// A library by name.
    public static func library(_ name: String) -> APILibrary? {
        for topic in topics { if let l = topic.libraries.first(where: { $0.name == name }) { return l } }
        return nil
    }

    /// An option table class by name.
    public static func optionTable(_ className: String) -> APIOptionTable? {
        optionTables.first { $0.className == className }
    }

    /// How many entries the catalogue holds: functions (global, library, method), values,
    /// library constants, type properties and value fields.
    public static var entryCount: (functions: Int, properties: Int, values: Int, types: Int) {
        var functions = 0, properties = 0, values = 0, types = 0
        for topic in topics {
            functions += topic.functions.count
            functions += topic.libraries.reduce(0) { $0 + $1.functions.count }
            properties += topic.libraries.reduce(0) { $0 + $1.constants.count }
            values += topic.values.count
            properties += topic.values.reduce(0) { $0 + $1.fields.count }
            types += topic.types.count
            functions += topic.types.reduce(0) { $0 + $1.methods.count }
            properties += topic.types.reduce(0) { $0 + $1.fields.count }
        }
        return (functions, properties, values, types)
    }
}
