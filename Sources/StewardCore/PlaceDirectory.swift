/// The place hierarchy of a district, indexed for scope checks: "is this community inside the
/// user's town?" is asked for every row a town-scoped user reads or writes.
public struct PlaceDirectory: Sendable, Hashable {
    /// Places by code.
    public let places: [String: Place]

    /// Indexes `places`, refusing duplicates, unknown parents, parents of the wrong level and
    /// (therefore) cycles.
    public init(_ places: [Place]) throws(ValidationFailure) {
        var byCode: [String: Place] = [:]
        var errors: [ValidationError] = []
        for place in places {
            errors += place.validationErrors()
            if byCode[place.code] != nil {
                errors.append(Check.error("place", "code", "The place code '\(place.code)' appears more than once."))
            }
            byCode[place.code] = place
        }
        for place in places {
            guard let parentCode = place.parentCode else { continue }
            guard let parent = byCode[parentCode] else {
                errors.append(Check.error("place", "parent_code",
                    "The place '\(place.code)' names an unknown parent '\(parentCode)'."))
                continue
            }
            // Levels strictly increase downwards, so a level check also rules out cycles.
            if !place.kind.canBeChild(of: parent.kind) {
                errors.append(Check.error("place", "parent_code",
                    "A \(place.kind.rawValue) ('\(place.code)') cannot sit under a \(parent.kind.rawValue) ('\(parentCode)')."))
            }
        }
        if !errors.isEmpty { throw ValidationFailure(errors: errors) }
        self.places = byCode
    }

    /// The place with `code`, if known.
    public subscript(code: String) -> Place? { places[code] }

    /// `code` and its ancestors, nearest first, ending at the district.
    public func lineage(of code: String) -> [Place] {
        var result: [Place] = []
        var current = places[code]
        while let place = current {
            result.append(place)
            current = place.parentCode.flatMap { places[$0] }
        }
        return result
    }

    /// True when `code` is `scope` itself or lies anywhere below it.
    public func isWithin(_ code: String, scope: String) -> Bool {
        lineage(of: code).contains { $0.code == scope }
    }

    /// The town or sub-district containing `code` (itself if it is one); nil for a district or
    /// an unknown code.
    public func town(of code: String) -> Place? {
        lineage(of: code).first { $0.kind.level == 1 }
    }

    /// Direct children of `code`, ordered by code.
    public func children(of code: String) -> [Place] {
        places.values.filter { $0.parentCode == code }.sorted { $0.code < $1.code }
    }
}
