import StewardScripting

/// `\help NAME` from the API catalogue (Sources/StewardScripting/API): the same entries the
/// reference page and `steward check` come from. Names: a global function (`yuan`), a library
/// (`money`) or one of its functions (`money.format`), a type by Lua name or class
/// (`members`, `MemberQuery`) or one of its members (`members:where`, `member.age`), a value
/// (`params`), a topic (`money`, `dates`).
enum ReplHelp {
    static func entry(_ name: String) -> String? {
        let name = name.trimmingCharacters(in: .whitespaces)
        if let f = APICatalogue.function(name) {
            // `member` is a function and the name of the type it returns: show both.
            let also = self.type(name).map { "\n\n" + typeText($0) } ?? ""
            return function(f, qualified: f.name) + also
        }
        if let lib = APICatalogue.library(name) {
            var lines = ["\(lib.name): \(lib.summary)"]
            let width = (lib.functions.map { $0.name.count + $0.parameterList.count }.max() ?? 0) + lib.name.count + 1
            for f in lib.functions {
                let head = "\(lib.name).\(f.name)\(f.parameterList)"
                lines.append("  " + head.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + f.summary)
            }
            for c in lib.constants { lines.append("  \(lib.name).\(c.name)  \(c.type)  \(c.summary)") }
            return lines.joined(separator: "\n")
        }
        if let type = self.type(name) { return typeText(type) }
        for separator in [".", ":"] where name.contains(separator) {
            let parts = name.split(separator: Character(separator), maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            if let lib = APICatalogue.library(parts[0]), let f = lib.functions.first(where: { $0.name == parts[1] }) {
                return function(f, qualified: "\(lib.name).\(f.name)")
            }
            if let type = self.type(parts[0]) {
                if let m = type.methods.first(where: { $0.name == parts[1] }) {
                    return function(m, qualified: "\(type.name):\(m.name)")
                }
                if let field = type.fields.first(where: { $0.name == parts[1] }) {
                    return "\(type.name).\(field.name)  \(field.type)\n  \(field.summary)"
                }
            }
        }
        for topic in APICatalogue.topics {
            if let value = topic.values.first(where: { $0.name == name }) {
                var lines = ["\(value.name)  \(value.type)", "  \(value.summary)"]
                for field in value.fields { lines.append("  \(value.name).\(field.name)  \(field.type)  \(field.summary)") }
                lines += ["", indent(value.example)]
                return lines.joined(separator: "\n")
            }
        }
        if let topic = APICatalogue.topics.first(where: { $0.id == name || $0.title.lowercased() == name.lowercased() }) {
            return topicText(topic)
        }
        return nil
    }

    static func type(_ name: String) -> APIType? {
        APICatalogue.types[name] ?? APICatalogue.types.values.first { $0.className == name }
    }

    static func function(_ f: APIFunction, qualified: String) -> String {
        var lines = ["\(qualified)\(f.parameterList)\(f.returnList)", "  \(f.summary)"]
        for p in f.parameters {
            lines.append("  \(p.name)\(p.optional ? "?" : ""): \(p.type) — \(p.summary)")
        }
        for r in f.returns { lines.append("  returns \(r.type) — \(r.summary)") }
        if !f.example.isEmpty { lines += ["", indent(f.example)] }
        return lines.joined(separator: "\n")
    }

    static func typeText(_ type: APIType) -> String {
        var lines = ["\(type.name) (\(type.className)): \(type.summary)"]
        if !type.fields.isEmpty {
            lines.append("Properties:")
            let width = type.fields.map(\.name.count).max() ?? 0
            for f in type.fields {
                lines.append("  ." + f.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  \(f.type)  \(f.summary)")
            }
        }
        if !type.methods.isEmpty {
            lines.append("Methods:")
            for m in type.methods { lines.append("  :\(m.name)\(m.parameterList)\(m.returnList)  \(m.summary)") }
        }
        for op in type.operators { lines.append("  \(op.expression) → \(op.type)  \(op.summary)") }
        if !type.example.isEmpty { lines += ["", indent(type.example)] }
        return lines.joined(separator: "\n")
    }

    static func topicText(_ topic: APITopic) -> String {
        var lines = ["\(topic.title): \(topic.summary)"]
        for f in topic.functions { lines.append("  \(f.name)\(f.parameterList)\(f.returnList)  \(f.summary)") }
        for l in topic.libraries { lines.append("  \(l.name).*  \(l.summary)") }
        for v in topic.values { lines.append("  \(v.name)  \(v.summary)") }
        for t in topic.types { lines.append("  type \(t.name) (\(t.className))  \(t.summary)") }
        return lines.joined(separator: "\n")
    }

    /// The topics and their names, for `\help` without a name, wrapped to `width`.
    static func overview(width: Int = 100) -> String {
        var lines = ["Topics (\\help TOPIC, or \\help NAME for one function, table or type):"]
        for topic in APICatalogue.topics {
            var names = topic.functions.map(\.name) + topic.libraries.map { $0.name + ".*" } + topic.values.map(\.name)
            if !topic.types.isEmpty { names.append("(types: " + topic.types.map(\.className).joined(separator: " ") + ")") }
            var line = "  " + topic.id.padding(toLength: 11, withPad: " ", startingAt: 0)
            let indent = String(repeating: " ", count: line.count)
            for word in names.joined(separator: " ").split(separator: " ") {
                if line.count + word.count + 1 > width, line != indent {
                    lines.append(line)
                    line = indent
                }
                line += (line == indent || line.hasSuffix(" ") ? "" : " ") + word
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    static func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
    }

    /// A type's methods (after `:`) or its properties and methods (after `.`), for completion.
    static func members(ofType name: String, separator: Character?) -> [String]? {
        guard let type = APICatalogue.types[name] else { return nil }
        if separator == ":" { return type.methods.map(\.name) }
        return type.fields.map(\.name) + type.methods.map(\.name)
    }

    /// The Lua type name a catalogue type (`MemberQuery`, `Member?`) stands for.
    static func typeName(_ luaLSType: String?) -> String? {
        guard var t = luaLSType else { return nil }
        if t.hasSuffix("?") { t.removeLast() }
        return APICatalogue.types.values.first { $0.className == t }?.name
    }
}
