/// Where the database lives: `--db PATH`, else `$STEWARD_DB`, else `./steward.db`.
public enum StoreLocation {
    /// The file name used when neither an option nor the environment names one.
    public static let defaultPath = "steward.db"

    /// Resolves the database path from an explicit option and the environment, in that order.
    public static func resolve(explicit: String?, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment["STEWARD_DB"], !fromEnvironment.isEmpty { return fromEnvironment }
        return defaultPath
    }
}
