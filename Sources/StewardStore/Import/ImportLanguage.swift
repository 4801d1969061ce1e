/// The language of messages to people: Chinese when `LANG` (or `LC_ALL`/`LC_MESSAGES`) says
/// `zh_CN`, English otherwise.
public enum ImportLanguage: Sendable, Equatable {
    case chinese
    case english

    /// The language the environment asks for; `LC_ALL` overrides `LC_MESSAGES` overrides `LANG`.
    public static func from(environment: [String: String]) -> ImportLanguage {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[name], !value.isEmpty {
                return value.hasPrefix("zh_CN") ? .chinese : .english
            }
        }
        return .english
    }
}
