import GRDB
import StewardCore

/// What a committing read saw of the database (``StoreSnapshot/commitBasis``), so that its
/// commit can tell whether anything was committed in between.
///
/// Two numbers, because each misses what the other sees:
/// - SQLite's `PRAGMA data_version` on the store's writer moves when *any other* connection
///   commits: another process, another Steward, or `sqlite3` in a terminal. It does not move
///   for the writer's own commits.
/// - The commit generation (``SchemaV4``, with the schema's version and cookie) moves when a
///   Steward transaction commits, on the writer too; but not for a write made outside Steward.
///
/// The data version is read on the writer *before* the snapshot's read transaction begins. A
/// commit that lands between the two then shows as a change (the snapshot saw it, the number
/// did not), which costs a full check; never the other way round.
public struct CommitBasis: Sendable, Equatable {
    let writerDataVersion: Int64
    let mark: CommitMark

    /// Whether the writer, inside its write transaction `db`, sees the data the snapshot saw.
    func holds(_ db: Database) throws -> Bool {
        guard try Self.dataVersion(db) == writerDataVersion else { return false }
        return try CommitMark(db) == mark
    }

    static func dataVersion(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0
    }
}

/// A caller's word that it has already checked a change set against a committing snapshot,
/// which lets ``Store/apply(_:run:actor:at:pendingRunID:checked:)`` skip checking every
/// invariant a second time, when nothing was committed since that snapshot.
///
/// Give one only for a change set whose every effect, in order, Core's ``InvariantChecker``
/// accepted, starting from the snapshot's committed state and acting as `actor`; effects it
/// found already applied left out. The scripting host does exactly that as a script proposes
/// (`HostContext`), so for a script run in this process the commit's re-check repeats the
/// same rules over the same data: 7 % of a 26,707-grant commit. A change set that came from
/// anywhere else (a runner's worker process, a REPL session across several snapshots) has
/// no such word, and is checked in full.
///
/// The store still checks what the snapshot cannot vouch for: the actor's scope against the
/// records as they are (``ScopeGuard``), the fields a script may change, and, when the
/// snapshot is no longer current, every invariant.
///
/// ```swift
/// let (changeSet, checked) = try store.read(forCommit: true) { snapshot in
///     let changeSet = try runAndCheck(snapshot)          // InvariantChecker, effect by effect
///     return (changeSet, snapshot.commitBasis.map {
///         SnapshotCheck(basis: $0, actor: scope, effectCount: changeSet.effects.count, warnings: [])
///     })
/// }
/// try store.apply(changeSet, run: submission, actor: scope, checked: checked)
/// ```
public struct SnapshotCheck: Sendable {
    public let basis: CommitBasis
    /// The scope the effects were checked as; a commit as anyone else is checked in full.
    public let actor: ActorScope
    /// How many effects were checked: a change set of another length is checked in full.
    public let effectCount: Int
    /// The checker's warnings, indexed by the effects' places in the change set.
    public let warnings: [InvariantWarning]

    public init(basis: CommitBasis, actor: ActorScope, effectCount: Int, warnings: [InvariantWarning]) {
        self.basis = basis
        self.actor = actor
        self.effectCount = effectCount
        self.warnings = warnings
    }

    /// Whether this check still stands for `changeSet`, committed as `actor`, inside the
    /// writer's transaction `db`.
    func stands(for changeSet: ChangeSet, actor: ActorScope, _ db: Database) throws -> Bool {
        guard actor == self.actor, changeSet.effects.count == effectCount else { return false }
        return try basis.holds(db)
    }
}
