import CLua
import CLuaHost

/// A Swift class exposed to scripts as a userdata type with methods and read-only properties,
/// in the manner of mlua's `UserData`.
///
/// Methods and property numbers live in one members table per type; properties are served by
/// one C `__index` that looks the key up there, then, for a property read before, in the
/// object's cache of properties already read, and only then calls Swift (or, for a scalar
/// property, a plain C call into its getter). An object whose cache serves a read gets a
/// metatable of its own that reads the cache as a plain table, so repeated reads cost no C call
/// (see CLuaHost's `properties.c`). The metatables are protected (`__metatable`), so scripts
/// can neither read nor replace them, and fields cannot be assigned.
///
/// ```swift
/// let budgetType = LuaType<Budget>("budget")
/// budgetType.property("code") { .init($0.code) }
/// budgetType.method("available") { budget, call in call.push(budget.available); return 1 }
/// state.registerType(budgetType)
/// ```
public final class LuaType<Object: AnyObject>: AnyLuaType {
    public let name: String
    var methods: [(String, (Object, LuaCall) throws -> Int32)] = []
    var properties: [String: PropertyGetter] = [:]
    var scalarProperties: [String: ScalarGetter] = [:]
    /// How `tostring(obj)` and the REPL describe an object.
    public var describe: ((Object) -> String)?
    /// When true, an object Lua collects is released on a background queue, in batches,
    /// rather than on the script's thread (see ``LuaDeferredReleases``); the state waits for
    /// them when it closes. Set it only for types whose deinitialisers may run on any thread
    /// and touch no Lua state: plain records. Read when the type is registered.
    public var releasedElsewhere = false
    var metamethods: [(String, (LuaCall) throws -> Int32)] = []
    /// The metatable in the state that used this type last (one type may serve many states,
    /// one after the other: a fresh state per run).
    var cachedState: OpaquePointer?
    var metatableRef: Int32 = LUA_NOREF
    /// The registry reference of the state's table of interned objects of this type (see
    /// ``LuaCall/push(interned:as:_:)``), or `LUA_NOREF` until one is interned there.
    var internedRef: Int32 = LUA_NOREF

    /// Stored in each object's userdata block next to the object: what ``LuaStack/object(_:_:_:)``
    /// checks. The type's address, unique while any state that registered it is open (the
    /// state holds the type), so it needs no per-state look-up; an object's metatable cannot
    /// serve, as a promoted object has one of its own.
    var identity: UnsafeRawPointer { UnsafeRawPointer(Unmanaged.passUnretained(self).toOpaque()) }

    func forget(_ L: OpaquePointer) {
        if cachedState == L { cachedState = nil }
    }

    /// Points the cache at `L`'s registration; false if the type is not registered there.
    @inline(__always)
    func select(_ L: OpaquePointer) -> Bool {
        if cachedState == L { return true }
        let state = Unmanaged<LuaState>.fromOpaque(clua_control_of(L)!.pointee.owner).takeUnretainedValue()
        guard let reg = state.typeRegistrations[ObjectIdentifier(self)] else { return false }
        cachedState = L
        metatableRef = reg
        internedRef = state.internedTables[ObjectIdentifier(self)] ?? LUA_NOREF
        return true
    }

    public init(_ name: String) { self.name = name }

    /// A method called as `obj:name(...)`. Arguments start at index 2 (1 is the object).
    public func method(_ name: String, _ body: @escaping (Object, LuaCall) throws -> Int32) {
        methods.append((name, body))
    }

    /// A read-only property computed by `get`. `cached` properties are computed at most twice
    /// per object (the first read is not cached: most objects have each property read once)
    /// and then served from Lua without calling Swift; the others call `get` on every read.
    /// A cached property's value must therefore not change while the object lives.
    public func property(_ name: String, cached: Bool = true, _ get: @escaping (Object) throws -> LuaValue) {
        scalarProperties[name] = nil
        properties[name] = PropertyGetter(cached: cached) { obj, call in try call.push(get(unsafeDowncast(obj, to: Object.self))) }
    }

    /// A read-only property whose value is an integer, a boolean or nil (`get` returns nil),
    /// computed from the object alone. C reads it with one plain call into Swift instead of
    /// the Lua call into Swift the other properties make, so a first read costs about half as
    /// much. It is cached as a `cached` property is, so its value must not change while the
    /// object lives. `get` must not throw or touch the Lua state.
    ///
    /// ```swift
    /// memberType.property("age", scalar: { .integer(Int64($0.age)) })
    /// ```
    public func property(_ name: String, scalar get: @escaping (Object) -> LuaScalar?) {
        properties[name] = nil
        // Erased here, where `get` still has the type it was written with: taken out of a
        // dictionary of generic closures, it would be called through reabstraction thunks on
        // every read.
        scalarProperties[name] = ScalarGetter { get(unsafeDowncast($0, to: Object.self)) }
    }

    /// A read-only property that pushes its own value (e.g. another host object).
    public func property(_ name: String, cached: Bool = true, push: @escaping (Object, LuaCall) throws -> Void) {
        scalarProperties[name] = nil
        // Erased here, as a scalar getter is (``ScalarGetter``).
        properties[name] = PropertyGetter(cached: cached) { obj, call in try push(unsafeDowncast(obj, to: Object.self), call) }
    }

    /// An operator or other metamethod (`__lt`, `__le`, `__eq`, `__add`, `__sub`, `__concat`,
    /// `__len`, ...). Operands may be of any type: check them with ``LuaCall/optionalObject(_:_:)``.
    /// `__index`, `__newindex`, `__gc` and `__metatable` are the bridge's own and cannot be set.
    public func metamethod(_ name: String, _ body: @escaping (LuaCall) throws -> Int32) {
        precondition(!["__index", "__newindex", "__gc", "__metatable", "__name"].contains(name),
                     "\(name) is managed by LuaType")
        metamethods.append((name, body))
    }

    /// Drops every method, property, metamethod and `describe`.
    ///
    /// A method that returns another object of its own type captures the type, and a type
    /// that pushes a second type which pushes the first closes a loop: such types keep each
    /// other, and everything their closures hold, alive forever. The owner of a set of types
    /// calls this on each when it is done with them (after the last state using them closed).
    public func removeAll() {
        methods = []
        properties = [:]
        scalarProperties = [:]
        metamethods = []
        describe = nil
    }

    /// Names of methods and properties (for completion and `\help`).
    public var memberNames: [String] { (methods.map(\.0) + properties.keys + scalarProperties.keys).sorted() }
}

/// The value of a scalar property (``LuaType/property(_:scalar:)``); nil is Lua's nil.
public enum LuaScalar: Equatable, Sendable {
    case integer(Int64)
    case boolean(Bool)
}

/// One scalar getter with its object type erased. A class, so that the closure is stored as
/// it was written and called as it is (a closure kept in an array or dictionary is kept in
/// its most general form, and every call went through two reabstraction thunks).
final class ScalarGetter {
    let get: (AnyObject) -> LuaScalar?

    init(_ get: @escaping (AnyObject) -> LuaScalar?) { self.get = get }
}

/// A type's scalar getters, by property number: the context of ``luaScalarRead``. The state
/// that registered the type keeps it alive.
final class ScalarGetters {
    /// Indexed by property number; nil where the property is not scalar.
    let getters: [ScalarGetter?]
    /// The same, unretained, for reads: taking a strong reference out of ``getters`` retained
    /// and released it on every read. ``getters`` keeps them alive.
    let borrowed: ContiguousArray<Unmanaged<ScalarGetter>?>

    init(_ getters: [ScalarGetter?]) {
        self.getters = getters
        borrowed = ContiguousArray(getters.map { $0.map(Unmanaged.passUnretained) })
    }
}

/// The C-callable `clua_scalar_fn` for every type: finds the getter by number and stores the
/// value as C pushes it.
let luaScalarRead: clua_scalar_fn = { context, object, number, value in
    guard let context, let object, let value else { return LUA_TNIL }
    // Borrowed, not retained: the state keeps the table, the userdata block the object.
    let scalar = Unmanaged<ScalarGetters>.fromOpaque(context)._withUnsafeGuaranteedRef { table -> LuaScalar?? in
        guard number >= 1, number <= table.borrowed.count, let getter = table.borrowed[Int(number) - 1] else { return nil }
        return getter._withUnsafeGuaranteedRef { getter in
            Unmanaged<AnyObject>.fromOpaque(object)._withUnsafeGuaranteedRef { getter.get($0) }
        }
    }
    guard let scalar else { return LUA_TNIL }
    switch scalar {
    case .integer(let n)?:
        value.pointee = n
        return LUA_TNUMBER
    case .boolean(let b)?:
        value.pointee = b ? 1 : 0
        return LUA_TBOOLEAN
    case nil:
        return LUA_TNIL
    }
}

/// A property's getter with its object type erased when it is defined. The `__index` getter
/// reaches it in a plain array: copying a closure or tuple whose type mentions the generic
/// object type out of an array made Swift look that type's metadata up at run time on every
/// first read, and one kept in a dictionary was called through reabstraction thunks.
final class PropertyGetter {
    let cached: Bool
    let get: (AnyObject, LuaCall) throws -> Void

    init(cached: Bool, get: @escaping (AnyObject, LuaCall) throws -> Void) {
        self.cached = cached
        self.get = get
    }
}

extension LuaState {
    /// Registers a host type so its objects can be pushed. Register each type once per state.
    public func registerType<T: AnyObject>(_ type: LuaType<T>) {
        withHostFrame {
            let typeName = type.name
            lua_createtable(L, 0, 8)  // metatable
            lua_pushstring(L, typeName)
            lua_setfield(L, -2, "__name")
            lua_pushboolean(L, 0)
            lua_setfield(L, -2, "__metatable")

            // __index: the members table (properties.c, clua_userdata_index) + property getter box.
            // Properties by number: the C __index looks the key up in the members table and
            // Swift indexes the getters' array, with no string made per read. Scalar
            // properties share the numbering; Swift's array has a getter for each number (a
            // scalar one pushes its value), so a number always finds its property.
            let names = (Array(type.properties.keys) + Array(type.scalarProperties.keys)).sorted()
            lua_createtable(L, 0, Int32(names.count + type.methods.count))
            for (number, name) in names.enumerated() {
                // Negative: read in C (properties.c, clua_property_read).
                lua_pushinteger(L, lua_Integer(type.scalarProperties[name] == nil ? number + 1 : -(number + 1)))
                lua_setfield(L, -2, name)
            }
            // Methods after properties: a method shadows a property of the same name.
            for (name, body) in type.methods {
                pushFunction(name: name) { call in
                    guard let obj = LuaStack.object(call.L, 1, type) else {
                        throw LuaScriptError("bad self for '\(name)': call it as \(typeName):\(name)(...)")
                    }
                    return try body(obj, call)
                }
                lua_setfield(L, -2, name)
            }
            let scalarGetters: [ScalarGetter?] = names.map { type.scalarProperties[$0] }
            let getters = names.enumerated().map { number, name in
                if let scalar = scalarGetters[number] {
                    return PropertyGetter(cached: true) { object, call in
                        switch scalar.get(object) {
                        case .integer(let n)?: call.push(n)
                        case .boolean(let b)?: call.push(b)
                        case nil: call.pushNil()
                        }
                    }
                }
                return type.properties[name]!
            }
            LuaBox.push(LuaCallable(name: typeName) { call in
                let L = call.L
                guard let obj = LuaStack.object(L, 1, type) else { throw LuaScriptError("not a \(typeName)") }
                var isNumber: Int32 = 0
                let number = Int(clua_tointegerx(L, 3, &isNumber))
                guard isNumber != 0, number >= 1, number <= getters.count else {
                    let key = LuaStack.string(L, 2) ?? "?"
                    throw LuaScriptError("\(typeName) has no field or method '\(key)'")
                }
                let property = getters[number - 1]
                try property.get(obj, call)
                if property.cached {
                    // Cached from the second read on: most objects have each property read
                    // once (a loop over members reads a grade, a flag, an age), and a cache
                    // table for each of them cost more than the Swift call it would save
                    // (a table made, filled and collected per object; 4 % of a 26,707-member
                    // run). The block remembers the first read, by property number, and keeps
                    // its value in one of the object's two memo slots (user values 2 and 3),
                    // which serve a second read with no call; the cache is user value 1, property name to
                    // value and nothing else a script could read (properties.c, which reads
                    // scalar properties the same way, without the memo). Its table is made
                    // inside this host frame, where an allocation cannot fail.
                    _ = clua_remember_read(L, lua_Integer(number))
                }
                return 1
            }, L)
            let scalars = ScalarGetters(scalarGetters)
            scalarTables.append(scalars)
            let block = lua_newuserdatauv(L, MemoryLayout<clua_scalars>.size, 0)!
            block.initializeMemory(as: clua_scalars.self, repeating: clua_scalars(
                identity: type.identity, context: Unmanaged.passUnretained(scalars).toOpaque(), get: luaScalarRead), count: 1)
            clua_push_userdata_index(L)
            lua_setfield(L, -2, "__index")

            pushFunction(name: "__newindex") { call in
                let key = LuaStack.string(call.L, 2) ?? "?"
                throw LuaScriptError("cannot set '\(key)': \(typeName) fields are read-only")
            }
            lua_setfield(L, -2, "__newindex")

            let describe = type.describe
            pushFunction(name: "__tostring") { call in
                guard let obj = LuaStack.object(call.L, 1, type) else { call.push(typeName); return 1 }
                call.push(describe?(obj) ?? typeName)
                return 1
            }
            lua_setfield(L, -2, "__tostring")

            pushFunction(name: "__eq") { call in
                let a = LuaStack.object(call.L, 1, type)
                let b = LuaStack.object(call.L, 2, type)
                call.push(a != nil && a === b)
                return 1
            }
            lua_setfield(L, -2, "__eq")

            for (name, body) in type.metamethods {
                pushFunction(name: name, body)
                lua_setfield(L, -2, name)
            }

            lua_pushcclosure(L, type.releasedElsewhere ? LuaDeferredReleases.releaseLater : LuaBox.releaseBox, 0)
            lua_setfield(L, -2, "__gc")

            let ref = luaL_ref(L, clua_registryindex())
            typeRegistrations[ObjectIdentifier(type)] = ref
            registeredTypes.append(type)
            type.cachedState = nil
        }
    }

    /// Pushes `object` as a userdata of `type` (registered with ``registerType(_:)``).
    public func push<T: AnyObject>(_ object: T, as type: LuaType<T>) {
        withHostFrame { LuaStack.pushObject(L, object, type) }
    }
}

/// What a state needs to know of its registered types when it closes.
protocol AnyLuaType: AnyObject {
    var name: String { get }
    var memberNames: [String] { get }
    func forget(_ L: OpaquePointer)
}

extension LuaState {
    /// Every host type registered in this state, by type name, with its member names (methods
    /// and properties, sorted): for completion, generated references and drift tests.
    public var registeredTypeMembers: [String: [String]] {
        Dictionary(registeredTypes.map { ($0.name, $0.memberNames) }, uniquingKeysWith: { a, _ in a })
    }
}
