import GRDB

/// Schema version 1. Dates are ISO `YYYY-MM-DD` text (they sort and compare as text),
/// instants are ISO-8601 UTC text, money is integer fen, flags are 0/1 integers.
enum SchemaV1 {
    /// Places, facilities, members and their tags.
    static func createPlacesAndPeople(_ db: Database) throws {
        // `path` ("/1/4/27/") lets "inside this place" be one indexed LIKE prefix test at any
        // depth, for scope filters and district-wide quotas alike.
        try db.execute(sql: """
            CREATE TABLE places (
                id INTEGER PRIMARY KEY,
                code TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('district', 'town', 'subdistrict', 'community', 'village')),
                parent_id INTEGER REFERENCES places(id),
                path TEXT NOT NULL UNIQUE
            );
            CREATE INDEX places_parent ON places(parent_id);
            CREATE UNIQUE INDEX places_name_in_parent ON places(parent_id, name);

            CREATE TABLE facilities (
                id INTEGER PRIMARY KEY,
                code TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                place_id INTEGER NOT NULL REFERENCES places(id),
                town_id INTEGER NOT NULL REFERENCES places(id),
                capacity INTEGER NOT NULL CHECK (capacity >= 0),
                occupancy INTEGER NOT NULL DEFAULT 0 CHECK (occupancy >= 0),
                star_rating INTEGER CHECK (star_rating BETWEEN 1 AND 3),
                -- Sorted, separated by ';' (e.g. 'ISO 9001:2015').
                certifications TEXT NOT NULL DEFAULT '',
                nursing_beds INTEGER CHECK (nursing_beds >= 0),
                area_m2 INTEGER CHECK (area_m2 >= 0),
                opened_on TEXT,
                -- Capacity is a hard limit; the applier re-checks it, the CHECK is the last guard.
                CHECK (occupancy <= capacity)
            );
            CREATE INDEX facilities_kind ON facilities(kind);
            CREATE INDEX facilities_town ON facilities(town_id);
            CREATE INDEX facilities_place ON facilities(place_id);

            CREATE TABLE facility_inspections (
                id INTEGER PRIMARY KEY,
                facility_id INTEGER NOT NULL REFERENCES facilities(id),
                kind TEXT NOT NULL,
                inspected_on TEXT NOT NULL,
                passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
                note TEXT NOT NULL DEFAULT ''
            );
            CREATE INDEX inspections_facility ON facility_inspections(facility_id, kind, inspected_on);
            """)

        // One wide row per person: every group attribute a script filters on is a column, so
        // filters are plain indexed predicates rather than joins over attribute tables.
        try db.execute(sql: """
            CREATE TABLE members (
                id INTEGER PRIMARY KEY,
                id_number TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                sex TEXT NOT NULL CHECK (sex IN ('male', 'female')),
                birth_date TEXT NOT NULL,
                town_id INTEGER NOT NULL REFERENCES places(id),
                community_id INTEGER REFERENCES places(id),
                phone TEXT,
                employer TEXT,
                minimum_living INTEGER NOT NULL DEFAULT 0 CHECK (minimum_living IN (0, 1)),
                extreme_hardship INTEGER NOT NULL DEFAULT 0 CHECK (extreme_hardship IN (0, 1)),
                registered_poor INTEGER NOT NULL DEFAULT 0 CHECK (registered_poor IN (0, 1)),
                disability_cert_number TEXT,
                disability_category TEXT CHECK (disability_category IN
                    ('visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple')),
                disability_grade INTEGER CHECK (disability_grade BETWEEN 1 AND 4),
                disability_cert_issued TEXT,
                disability_cert_expiry TEXT,
                union_card TEXT UNIQUE,
                union_card_issued TEXT,
                model_worker TEXT NOT NULL DEFAULT 'none' CHECK (model_worker IN
                    ('none', 'district', 'city', 'provincial', 'national')),
                new_form_worker TEXT,
                elderly INTEGER NOT NULL DEFAULT 0 CHECK (elderly IN (0, 1)),
                elderly_empty_nest INTEGER NOT NULL DEFAULT 0 CHECK (elderly_empty_nest IN (0, 1)),
                elderly_living_alone INTEGER NOT NULL DEFAULT 0 CHECK (elderly_living_alone IN (0, 1)),
                elderly_dependent INTEGER NOT NULL DEFAULT 0 CHECK (elderly_dependent IN (0, 1)),
                home_visit_hours INTEGER NOT NULL DEFAULT 0 CHECK (home_visit_hours >= 0),
                home_visit_hours_used INTEGER NOT NULL DEFAULT 0 CHECK (home_visit_hours_used >= 0),
                home_visit_quarter TEXT,
                student_university TEXT,
                student_admission_year INTEGER,
                student_household_income_fen INTEGER CHECK (student_household_income_fen >= 0),
                student_applied_on TEXT,
                rehab_centre_id INTEGER REFERENCES facilities(id),
                rehab_start TEXT,
                registered_on TEXT,
                -- A certificate has all its parts or none; likewise a card, a student record and
                -- a rehabilitation place, so a row always maps back to whole typed attributes.
                CHECK ((disability_category IS NULL) = (disability_grade IS NULL)
                    AND (disability_category IS NULL) = (disability_cert_expiry IS NULL)
                    AND (disability_category IS NULL) = (disability_cert_issued IS NULL)
                    AND (disability_category IS NULL) = (disability_cert_number IS NULL)),
                CHECK ((union_card IS NULL) = (union_card_issued IS NULL)),
                CHECK ((student_university IS NULL) = (student_applied_on IS NULL)
                    AND (student_university IS NULL) = (student_admission_year IS NULL)
                    AND (student_university IS NULL) = (student_household_income_fen IS NULL)),
                CHECK ((rehab_centre_id IS NULL) = (rehab_start IS NULL))
            );
            CREATE INDEX members_town ON members(town_id);
            CREATE INDEX members_community ON members(community_id);
            CREATE INDEX members_birth_date ON members(birth_date);
            CREATE INDEX members_cert_expiry ON members(disability_cert_expiry)
                WHERE disability_cert_expiry IS NOT NULL;
            CREATE INDEX members_disability_grade ON members(disability_grade, disability_category)
                WHERE disability_grade IS NOT NULL;
            CREATE INDEX members_union_card ON members(town_id) WHERE union_card IS NOT NULL;
            CREATE INDEX members_student ON members(student_applied_on) WHERE student_university IS NOT NULL;
            CREATE INDEX members_elderly ON members(town_id) WHERE elderly = 1;

            CREATE TABLE member_tags (
                member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
                tag TEXT NOT NULL,
                PRIMARY KEY (member_id, tag)
            ) WITHOUT ROWID;
            CREATE INDEX member_tags_tag ON member_tags(tag, member_id);
            """)
    }
}
