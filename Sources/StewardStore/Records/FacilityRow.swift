import GRDB
import StewardCore

/// Maps `facilities` rows (with `place_code`) and their inspections to Core's ``Facility``.
enum FacilityRow {
    /// A kind Steward does not write throws rather than read as a home-care station: which
    /// programmes may place people there, and which rules apply, follow from the kind.
    static func facility(_ row: Row, inspections: [Inspection]) throws(StoreError) -> Facility {
        let certifications: String = row["certifications"]
        return Facility(
            code: row["code"], name: row["name"],
            kind: try StoredValues(row, table: "facilities").choice("kind", "facility kind"),
            placeCode: row["place_code"], capacity: row["capacity"], occupancy: row["occupancy"],
            starRating: row["star_rating"],
            certifications: Set(certifications.split(separator: ";").map(String.init)),
            nursingBeds: row["nursing_beds"], inspections: inspections)
    }

    /// From a `facility_inspections` row (`SELECT *`); a kind or date that does not parse throws.
    static func inspection(_ row: Row) throws(StoreError) -> Inspection {
        let values = StoredValues(row, table: "facility_inspections")
        return Inspection(kind: try values.choice("kind", "inspection kind"), date: try values.date("inspected_on"),
                          passed: row["passed"], note: row["note"])
    }

    /// `certifications` as stored: sorted, `;`-separated.
    static func certificationsText(_ certifications: Set<String>) -> String {
        certifications.sorted().joined(separator: ";")
    }
}
