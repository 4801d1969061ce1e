/// Masking personal data for output: identity numbers and phone numbers are shown with their
/// middle replaced by `*` unless the user's role may see them (`User.canUnmask`).
public enum Masking {
    /// `text` with all but the first `keepFirst` and last `keepLast` characters replaced by
    /// `*`, one star per hidden character so the length stays recognisable. Text too short to
    /// hide anything is masked completely, so a short value never leaks whole.
    public static func mask(_ text: String, keepFirst: Int, keepLast: Int) -> String {
        let characters = Array(text)
        guard characters.count > keepFirst + keepLast else {
            return String(repeating: "*", count: characters.count)
        }
        let hidden = characters.count - keepFirst - keepLast
        return String(characters.prefix(keepFirst)) + String(repeating: "*", count: hidden)
            + String(characters.suffix(keepLast))
    }
}
