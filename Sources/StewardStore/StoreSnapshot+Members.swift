import GRDB
import StewardCore

/// A group and its size, from ``StoreSnapshot/countMembers(_:by:)``.
public struct GroupCount: Sendable, Hashable {
    /// The grouped value: a place code for `town`/`community`, else the field's value.
    public let key: FieldValue
    /// What to show: a place's Chinese name, else the key as text.
    public let label: String
    public let count: Int
}

/// Members one at a time, straight from SQLite: memory stays flat however many rows match.
/// Valid only inside the ``Store/read(_:)`` call that made it.
public final class MemberCursor {
    private let rows: MemberRows
    /// How to read the rest on a second connection once ``readAheadAfter`` rows are read here;
    /// nil when that is not possible (a database in memory, a write transaction) or was tried.
    private var readAheadPlan: (plan: MemberReadAheadPlan, db: Database)?
    private let readAheadAfter: Int
    /// The ids delivered so far, for the read-ahead to check its first rows against.
    private var deliveredIDs: [Int64] = []
    /// For a ``MemberObjectCursor``: what it makes of each member. Its cursor reads objects
    /// (``nextObject()``), every other one members (``next()``), each through its own kind of
    /// read-ahead.
    private let wrap: (@Sendable (consuming Member) -> AnyObject)?
    private var readAhead: MemberReadAhead<Member>?
    private var objectReadAhead: MemberReadAhead<AnyObject>?

    init(rows: MemberRows, wrap: (@Sendable (consuming Member) -> AnyObject)? = nil,
         readAhead plan: MemberReadAheadPlan? = nil, on db: Database? = nil, after: Int = MemberCursor.readAheadAfter) {
        self.rows = rows
        self.wrap = wrap
        if let plan, let db { readAheadPlan = (plan, db) }
        readAheadAfter = max(1, after)
    }

    /// Rows read on the query's own connection before the rest is read ahead on a second
    /// one: a short query (the scheduler's 1,000 small runs) never pays for the connection and
    /// thread, about a millisecond. Not more: the cursor waits while the new connection steps
    /// again over the rows already read (1,000 cost the script 2.5 ms).
    static let readAheadAfter = 256

    /// True once the rows come from a ``MemberReadAhead``.
    var isReadingAhead: Bool { readAhead != nil || objectReadAhead != nil }

    /// Set by ``close()``.
    private var isClosed = false

    /// The next member, or nil at the end (and after ``close()``).
    public func next() throws -> Member? {
        precondition(wrap == nil, "a MemberObjectCursor's rows are read as objects")
        if isClosed { return nil }
        if let readAhead { return try readAhead.next() }
        return try stepHere()
    }

    /// The next member as the object `wrap` made of it (for ``MemberObjectCursor``).
    @usableFromInline
    func nextObject() throws -> AnyObject? {
        guard let wrap else { preconditionFailure("only a MemberObjectCursor reads objects") }
        if isClosed { return nil }
        if let objectReadAhead { return try objectReadAhead.next() }
        return try stepHere().map { wrap($0) }
    }

    /// The next row read on the query's own connection; after the first ``readAheadAfter``,
    /// starts the read-ahead that delivers the rest.
    private func stepHere() throws -> Member? {
        guard try rows.step() else {
            readAheadPlan = nil
            return nil
        }
        let member = try rows.member()
        if let (plan, db) = readAheadPlan {
            deliveredIDs.append(member.id)
            if deliveredIDs.count == readAheadAfter {
                readAheadPlan = nil
                let mark = try CommitMark(db)
                if let wrap {
                    objectReadAhead = try MemberReadAhead.start(plan, delivered: deliveredIDs, mark: mark, wrap: wrap)
                } else {
                    readAhead = try MemberReadAhead.start(plan, delivered: deliveredIDs, mark: mark) { $0 }
                }
                deliveredIDs = []
            }
        }
        return member
    }

    /// Ends the cursor before its last row: stops its read-ahead thread, which closes its
    /// connection, and resets its statement. Either would otherwise hold a read transaction
    /// (and keep a checkpoint from finishing) until the cursor is freed — in the REPL, whenever
    /// Lua collects the iterator that holds it. And a cursor freed outside its read, off its
    /// connection's queue, stops the process: GRDB checks where its statement is reset.
    ///
    /// Call it inside the ``Store/read(_:)`` that made the cursor. ``next()`` returns nil
    /// afterwards.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        readAheadPlan = nil
        readAhead?.stop()
        readAhead = nil
        objectReadAhead?.stop()
        objectReadAhead = nil
        rows.close()
    }

    deinit {
        readAhead?.stop()
        objectReadAhead?.stop()
    }
}

/// Members one at a time as objects made by a `wrap` of the reader's
/// (``StoreSnapshot/memberCursor(_:tags:wrap:)``). Once the rest of a long query is read
/// ahead, `wrap` runs on the read-ahead's thread: a reader that puts each member in an object
/// of its own (a script's member box) has it made off its own thread.
public final class MemberObjectCursor<Object: AnyObject> {
    @usableFromInline let cursor: MemberCursor

    init(_ cursor: MemberCursor) { self.cursor = cursor }

    /// The next member's object, or nil at the end (and after ``close()``).
    @inlinable
    public func next() throws -> Object? {
        // The cursor was made with a wrap that returns `Object`.
        try cursor.nextObject().map { unsafeDowncast($0, to: Object.self) }
    }

    /// Ends the cursor before its last row (``MemberCursor/close()``).
    public func close() { cursor.close() }

    /// True once the rows come from a ``MemberReadAhead``.
    var isReadingAhead: Bool { cursor.isReadingAhead }
}

/// Member rows: one statement stepped by GRDB (which keeps its bookkeeping and turns a failed
/// step into its `DatabaseError`), each row read by position (``MemberRow/member(_:tags:)``)
/// from the `sqlite3_stmt` rather than through a GRDB `Row` by name.
final class MemberRows {
    private let statement: Statement
    /// Nil once ``close()`` has ended the read.
    private var rows: RowCursor?
    /// Whether the statement selected the tags column.
    private let tags: Bool
    /// For a query compiled by ``MemberSQL/select(_:places:tags:)``: the codes of the place ids
    /// its rows hold. Nil when the rows hold the codes (``MemberSQL/columns``).
    private let places: PlaceCodes?
    /// For a query compiled with an ``IDLookup``: the ids in the order the rows must come.
    private let expectedIDs: [Int64]?
    private var nextID = 0

    /// Opens a cursor over `compiled` (from ``MemberSQL/select(_:places:tags:)``). Compiles
    /// its statements afresh: a cursor owns its statement's position, and two cursors over
    /// one query may be open at once (a script's nested `each()`), so a shared cached
    /// statement would not do.
    convenience init(_ db: Database, _ compiled: CompiledQuery, tags: Bool = true) throws {
        guard let lookup = compiled.idLookup else {
            try self.init(statement: try db.makeStatement(sql: compiled.sql), arguments: compiled.arguments, tags: tags,
                          places: compiled.placeCodes)
            return
        }
        let select = try db.makeStatement(sql: compiled.sql)
        try select.setArguments(compiled.arguments)
        var ids = try RawStatement.integers(select, db)
        ids.sort(by: lookup.descending ? (>) : (<))
        try self.init(statement: try db.makeStatement(sql: lookup.rowSQL), arguments: [Self.jsonArray(ids)], tags: tags,
                      places: compiled.placeCodes, expectedIDs: ids)
    }

    /// `[3,17,42]`: written digit by digit, as 26,707 Strings joined cost more than the query.
    static func jsonArray(_ numbers: [Int64]) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        bytes.reserveCapacity(numbers.count * 8 + 2)
        for (index, number) in numbers.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.appendDecimal(number)
        }
        bytes.append(UInt8(ascii: "]"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Steps `statement` from its first row; a cached statement only for a read that finishes
    /// before it returns (one member by id), so that nothing else steps it meanwhile.
    init(statement: Statement, arguments: StatementArguments, tags: Bool = true, places: PlaceCodes? = nil,
         expectedIDs: [Int64]? = nil) throws {
        self.statement = statement
        self.tags = tags
        self.places = places
        self.expectedIDs = expectedIDs
        rows = try Row.fetchCursor(statement, arguments: arguments)
    }

    /// Moves to the next row; false at the end.
    func step() throws -> Bool {
        guard let rows, try rows.next() != nil else { return false }
        if let expectedIDs {
            // The order of the id list is the order of the rows only while SQLite runs the
            // join with the list outside (CROSS JOIN asks for that, but SQL does not promise
            // an order without ORDER BY): checked, so that a different plan is an error and
            // never members granted in another order.
            let id = StoredRow(statement.sqliteStatement, table: "members").rowID
            guard nextID < expectedIDs.count, expectedIDs[nextID] == id else {
                throw DatabaseError(resultCode: .SQLITE_INTERNAL, message: "member \(id) came out of the order of its id list",
                                    sql: statement.sql)
            }
            nextID += 1
        }
        return true
    }

    /// Ends the read: GRDB's cursor resets the statement as it goes, which it may do only on
    /// the connection's queue (elsewhere GRDB stops the process). ``step()`` is false after.
    func close() {
        rows = nil
    }

    /// The id in the current row.
    var rowID: Int64 { StoredRow(statement.sqliteStatement, table: "members").rowID }

    /// The member in the current row.
    func member() throws -> Member {
        try MemberRow.member(statement.sqliteStatement, tags: tags, places: places)
    }

    /// The employer in the current row (``Member`` does not carry it).
    func employer() throws -> String? {
        try MemberRow.employer(statement.sqliteStatement)
    }
}

extension StoreSnapshot {
    /// Place codes to row ids and levels; small (one row per place), read per query.
    func placeIndex() throws -> [String: ResolvedPlace] {
        var index: [String: ResolvedPlace] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT id, code, kind FROM places")
        while let row = try rows.next() {
            // Not a default: a town read as a community would make its filter test the wrong
            // column and select other members without a word.
            let kind: PlaceKind = try StoredValues(row, table: "places").choice("kind", "place kind")
            index[row["code"]] = ResolvedPlace(id: row["id"], level: kind.level)
        }
        return index
    }

    /// The member with this id, or nil.
    ///
    /// The statement is cached per connection: compiling it (with GRDB's analysis of what it
    /// reads) cost twenty times the read, and scripts look members up one by one (20,000
    /// `member(id)` calls at 1M members: 8.7 s → 0.45 s).
    public func member(id: MemberID) throws -> Member? {
        let statement = try db.cachedStatement(sql: "SELECT \(MemberSQL.columns) \(MemberSQL.rowFrom) WHERE m.id = ?")
        let rows = try MemberRows(statement: statement, arguments: [id])
        return try rows.step() ? try rows.member() : nil
    }

    /// The member with this identity number, or nil.
    public func member(identityNumber: IdentityNumber) throws -> Member? {
        let statement = try db.cachedStatement(sql: "SELECT \(MemberSQL.columns) \(MemberSQL.rowFrom) WHERE m.id_number = ?")
        let rows = try MemberRows(statement: statement, arguments: [identityNumber.value])
        return try rows.step() ? try rows.member() : nil
    }

    /// Every matching member in the query's order. For large results prefer
    /// ``memberCursor(_:)`` or ``forEachMember(_:_:)``.
    public func members(_ query: MemberQuery) throws -> [Member] {
        var result: [Member] = []
        try forEachMember(query) { result.append($0); return true }
        return result
    }

    /// Streams matching members to `body` until it returns false.
    public func forEachMember(_ query: MemberQuery, _ body: (Member) throws -> Bool) throws {
        let cursor = try memberCursor(query)
        while let member = try cursor.next() {
            if try !body(member) { return }
        }
    }

    /// A cursor over matching members, in the query's order.
    ///
    /// With `tags` false the members come with empty tags, for a reader that looks them up
    /// only when asked (``memberTags(id:)``): one look-up per member saved when none is.
    ///
    /// After ``MemberCursor/readAheadAfter`` rows the rest may be read on a second connection
    /// and thread (``MemberReadAhead``): the members and their order are the same.
    public func memberCursor(_ query: MemberQuery, tags: Bool = true) throws -> MemberCursor {
        try memberCursor(query, tags: tags, readAheadAfter: MemberCursor.readAheadAfter)
    }

    /// A cursor over matching members as ``memberCursor(_:tags:)`` gives them, each made into
    /// an object by `wrap` first: on the read-ahead's thread once the rest of the query is read
    /// ahead there, so `wrap` must touch nothing but its member.
    ///
    /// ```swift
    /// let cursor = try snapshot.memberCursor(query, tags: false) { MemberRecord($0) }
    /// while let record = try cursor.next() { … }
    /// ```
    public func memberCursor<Object: AnyObject>(_ query: MemberQuery, tags: Bool = true,
                                                wrap: @escaping @Sendable (consuming Member) -> Object) throws -> MemberObjectCursor<Object> {
        try memberCursor(query, tags: tags, readAheadAfter: MemberCursor.readAheadAfter, wrap: wrap)
    }

    /// ``memberCursor(_:tags:)`` with the read-ahead's threshold chosen (by tests).
    func memberCursor(_ query: MemberQuery, tags: Bool = true, readAheadAfter: Int) throws -> MemberCursor {
        try memberCursor(query, tags: tags, readAheadAfter: readAheadAfter, objectWrap: nil)
    }

    /// ``memberCursor(_:tags:wrap:)`` with the read-ahead's threshold chosen (by tests).
    func memberCursor<Object: AnyObject>(_ query: MemberQuery, tags: Bool, readAheadAfter: Int,
                                         wrap: @escaping @Sendable (consuming Member) -> Object) throws -> MemberObjectCursor<Object> {
        MemberObjectCursor(try memberCursor(query, tags: tags, readAheadAfter: readAheadAfter, objectWrap: { wrap($0) }))
    }

    private func memberCursor(_ query: MemberQuery, tags: Bool, readAheadAfter: Int,
                              objectWrap: (@Sendable (consuming Member) -> AnyObject)?) throws -> MemberCursor {
        let compiled = try MemberSQL.select(query, places: placeIndex(), tags: tags)
        let rows = try MemberRows(db, compiled, tags: tags)
        guard let readAhead else { return MemberCursor(rows: rows, wrap: objectWrap) }
        let plan = MemberReadAheadPlan(source: readAhead, compiled: compiled, tags: tags,
                                       busyMode: db.configuration.busyMode)
        return MemberCursor(rows: rows, wrap: objectWrap, readAhead: plan, on: db, after: readAheadAfter)
    }

    /// A member's tags (empty for an unknown id).
    public func memberTags(id: MemberID) throws -> Set<String> {
        // Cached per connection: a script reads them member by member.
        Set(try String.fetchAll(db.cachedStatement(sql: "SELECT tag FROM member_tags WHERE member_id = ?"), arguments: [id]))
    }

    /// How many members match (the query's order is ignored; its limit caps the count).
    public func countMembers(_ query: MemberQuery) throws -> Int {
        let compiled = try MemberSQL.whereClause(query, places: placeIndex())
        let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM members m WHERE \(compiled.sql)",
                                     arguments: compiled.arguments) ?? 0
        return query.limit.map { min(count, max(0, $0)) } ?? count
    }

    /// Matching members counted per value of `field`, ordered by key; members without a value
    /// (no community, no grade) form a group whose key is `.null`.
    public func countMembers(_ query: MemberQuery, by field: MemberField) throws -> [GroupCount] {
        let compiled = try MemberSQL.whereClause(query, places: placeIndex())
        // Filters use members' own columns only (MemberSQL.whereClause), so the places are
        // joined only to label a place grouping.
        let sql = """
            SELECT \(field.sql) AS key, \(field.labelSQL) AS label, COUNT(*) AS n \(field.groupFrom)
            WHERE \(compiled.sql) GROUP BY \(field.groupSQL) ORDER BY (key IS NULL), key
            """
        return try Row.fetchAll(db, sql: sql, arguments: compiled.arguments).map { row in
            let key = Self.fieldValue(row["key"], money: field.isMoney)
            return GroupCount(key: key, label: Self.labelText(row["label"]), count: row["n"])
        }
    }

    /// The exact integer sum of a summable field (hours, or money in fen) over matching members.
    public func sumMembers(_ query: MemberQuery, of field: MemberField) throws -> FieldValue {
        guard field.isSummable else { throw StoreError.notFound(kind: "summable member field", key: field.rawValue) }
        let compiled = try MemberSQL.whereClause(query, places: placeIndex())
        // SUM over integers is exact in SQLite and fails on overflow rather than wrapping.
        let total = try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(\(field.sql)), 0) FROM members m WHERE \(compiled.sql)",
                                       arguments: compiled.arguments) ?? 0
        return field.isMoney ? .money(Money(fen: total)) : .integer(total)
    }

    /// Fields of one member that Core's ``Member`` does not carry (employer, hours used this
    /// quarter, ...), or that a report wants as plain values.
    public func fieldValues(memberID: MemberID, _ fields: [MemberField]) throws -> [FieldValue] {
        guard !fields.isEmpty else { return [] }
        // Cached per connection: scripts read these fields member by member (an elderly
        // member's hours used), and compiling the statement cost far more than the read.
        let sql = "SELECT " + fields.map(\.sql).joined(separator: ", ") + " \(MemberSQL.from) WHERE m.id = ?"
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [memberID]) else {
            throw StoreError.notFound(kind: "member", key: String(memberID))
        }
        return fields.indices.map { Self.fieldValue(row[$0], money: fields[$0].isMoney) }
    }

    /// The quarter whose home-visit hours `home_visit_hours_used` counts, if any.
    public func homeVisitQuarter(memberID: MemberID) throws -> Period? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT home_visit_quarter FROM members WHERE id = ?"), arguments: [memberID])
            .flatMap(Period.init)
    }

    /// A group label as text, whatever its SQLite type.
    static func labelText(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null, .blob: ""
        case .int64(let number): String(number)
        case .double(let number): String(number)
        case .string(let text): text
        }
    }

    static func fieldValue(_ value: DatabaseValue, money: Bool) -> FieldValue {
        switch value.storage {
        case .null: return .null
        case .int64(let number): return money ? .money(Money(fen: number)) : .integer(number)
        case .double(let number): return .integer(Int64(number))
        case .string(let text):
            if text.utf8.count == 10, let date = try? CivilDate(parsing: text) { return .date(date) }
            return .text(text)
        case .blob: return .null
        }
    }
}
