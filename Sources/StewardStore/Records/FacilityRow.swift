import GRDB
import StewardCore

/// Maps `facilities` rows (with `place_code`) and their inspections to Core's ``Facility``.
enum FacilityRow {
    static func facility(_ row: Row, inspections: [Inspection]) -> Facility {
        let certifications: String = row["certifications"]
        return Facility(
            code: row["code"], name: row["name"],
            kind: FacilityKind(rawValue: row["kind"]) ?? .homeCareStation,
            placeCode: row["place_code"], capacity: row["capacity"], occupancy: row["occupancy"],
            starRating: row["star_rating"],
            certifications: Set(certifications.split(separator: ";").map(String.init)),
            nursingBeds: row["nursing_beds"], inspections: inspections)
    }

    static func inspection(_ row: Row) throws -> Inspection {
        Inspection(kind: InspectionKind(rawValue: row["kind"]) ?? .other,
                   date: try CivilDate(parsing: row["inspected_on"] as String),
                   passed: row["passed"], note: row["note"])
    }

    /// `certifications` as stored: sorted, `;`-separated.
    static func certificationsText(_ certifications: Set<String>) -> String {
        certifications.sorted().joined(separator: ";")
    }
}
