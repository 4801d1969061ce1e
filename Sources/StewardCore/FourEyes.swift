/// Maker ≠ checker: the one rule both kinds of approval use — a stored script version before
/// it runs on a schedule, and a change set held above the approval threshold. Nobody approves
/// their own work, admins included.
///
/// A participant is the Steward user who acted and, when an admin used `--as`, that admin.
/// The checker is refused when
/// - the checker is the maker, or the admin who acted for the maker (an admin who made a run
///   through `--as` cannot approve it as themselves), or
/// - the admin acting for the checker is the maker (an admin cannot approve their own run by
///   acting as an approver).
///
/// One pairing is deliberately not refused: the *same* admin acting for two *different* users
/// on both sides (`--as operator` to make, `--as approver` to check). `--as` exists for admins
/// and tests, an admin can create users anyway, and both audit rows name the admin; the
/// approval's audit row flags it (`same_acting_admin`).
public enum FourEyes {
    /// Someone who made or checks a piece of work.
    public struct Participant: Sendable, Hashable {
        /// The Steward user the action was taken as.
        public var user: String
        /// The admin who used `--as` to act as `user`, if any.
        public var actingAdmin: String?

        public init(user: String, actingAdmin: String? = nil) {
            self.user = user
            self.actingAdmin = actingAdmin
        }

        /// `王芳`, or `王芳 (by admin via --as)`.
        public var description: String {
            actingAdmin.map { "\(user) (by \($0) via --as)" } ?? user
        }
    }

    /// Why `checker` may not approve work made by `maker`, or nil when they may. `work` names
    /// the work for the message: "run 12", "version 3 of 'relief'"; `verb` is how it was made
    /// ("made" a run, "wrote" a script version).
    public static func refusal(maker: Participant, checker: Participant, work: String, verb: String = "made") -> String? {
        if checker.user == maker.user {
            return "\(checker.user) \(verb) \(work) and cannot also approve it (maker ≠ checker); another approver must"
        }
        if let admin = maker.actingAdmin, checker.user == admin {
            return "\(admin) \(verb) \(work) (acting as \(maker.user)) and cannot also approve it (maker ≠ checker); another approver must"
        }
        if let admin = checker.actingAdmin, admin == maker.user {
            return "\(admin) \(verb) \(work) and cannot approve it by acting as \(checker.user) (maker ≠ checker); another approver must"
        }
        return nil
    }

    /// True when `checker` may approve `maker`'s work.
    public static func permits(maker: Participant, checker: Participant) -> Bool {
        refusal(maker: maker, checker: checker, work: "it") == nil
    }

    /// True when one admin acted for both sides through `--as` (allowed, but flagged).
    public static func sameActingAdmin(maker: Participant, checker: Participant) -> Bool {
        guard let a = maker.actingAdmin, let b = checker.actingAdmin else { return false }
        return a == b
    }
}
