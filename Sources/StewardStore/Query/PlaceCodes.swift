/// Place codes by row id, for member reads that select `m.town_id` and `m.community_id`
/// rather than join `places` twice per row.
///
/// A bulk member read already reads every place before it compiles its query (the filters
/// name places by code, ``StoreSnapshot/placeIndex()``), so the codes come from that read and
/// cost nothing more. Each row then saves two B-tree searches in SQLite and two texts made
/// from its bytes: every member in a town shares that town's one `String`. In the 26,707-member
/// subsidy run that was about 1,200 instructions a member on the read-ahead thread.
///
/// An id with no place throws where the member is read, naming the row and column: a
/// `JOIN places` used to drop such a member from the result without a word (only a database
/// changed outside Steward can hold one: `town_id` is a foreign key).
struct PlaceCodes: Sendable {
    /// Codes indexed by id, while ids are dense enough (places are numbered from 1 and rarely
    /// deleted); nil where no place has the id.
    private let dense: [String?]
    /// The codes of ids beyond `dense`: none unless ids are far sparser than the places.
    private let sparse: [Int64: String]

    /// The ids of `places` (code → resolved place, as ``StoreSnapshot/placeIndex()`` reads them).
    init(_ places: [String: ResolvedPlace]) {
        // A dense table of up to four slots per place (and 4,096 at least): a deleted place
        // costs a nil slot, an id far beyond goes to the dictionary.
        let limit = Int64(max(4_096, places.count * 4))
        var denseEnd = 0
        for place in places.values where place.id >= 0 && place.id < limit { denseEnd = max(denseEnd, Int(place.id) + 1) }
        var dense = [String?](repeating: nil, count: denseEnd)
        var sparse: [Int64: String] = [:]
        for (code, place) in places {
            if place.id >= 0, place.id < denseEnd { dense[Int(place.id)] = code } else { sparse[place.id] = code }
        }
        self.dense = dense
        self.sparse = sparse
    }

    /// The code of the place with this id, or nil when there is none.
    func code(of id: Int64) -> String? {
        if id >= 0, id < dense.count { return dense[Int(id)] }
        return sparse[id]
    }

    /// The code of the place whose id is in `column` of `row`; nil for NULL.
    func optionalCode(_ row: StoredRow, _ column: Int32) throws(StoreError) -> String? {
        guard let id = try row.optionalInteger(column) else { return nil }
        guard let code = code(of: id) else { throw row.invalid(column, "no place has id \(id)") }
        return code
    }

    /// The code of the place whose id is in `column` of `row`, which must not be NULL.
    func code(_ row: StoredRow, _ column: Int32) throws(StoreError) -> String {
        let id = try row.integer(column)
        guard let code = code(of: id) else { throw row.invalid(column, "no place has id \(id)") }
        return code
    }
}
