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
                next_due TEXT,
                notes TEXT NOT NULL DEFAULT ''
            );
            CREATE INDEX inspections_facility ON facility_inspections(facility_id, kind, inspected_on);
            CREATE INDEX inspections_next_due ON facility_inspections(next_due);
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
                place_id INTEGER NOT NULL REFERENCES places(id),
                town_id INTEGER NOT NULL REFERENCES places(id),
                phone TEXT,
                income_fen INTEGER CHECK (income_fen >= 0),
                minimum_living INTEGER NOT NULL DEFAULT 0 CHECK (minimum_living IN (0, 1)),
                extreme_hardship INTEGER NOT NULL DEFAULT 0 CHECK (extreme_hardship IN (0, 1)),
                registered_poor INTEGER NOT NULL DEFAULT 0 CHECK (registered_poor IN (0, 1)),
                disability_category TEXT CHECK (disability_category IN
                    ('visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple')),
                disability_grade INTEGER CHECK (disability_grade BETWEEN 1 AND 4),
                disability_cert_expiry TEXT,
                union_card TEXT UNIQUE,
                model_worker INTEGER NOT NULL DEFAULT 0 CHECK (model_worker IN (0, 1)),
                worker_kind TEXT,
                employer TEXT,
                elderly_empty_nest INTEGER NOT NULL DEFAULT 0 CHECK (elderly_empty_nest IN (0, 1)),
                elderly_living_alone INTEGER NOT NULL DEFAULT 0 CHECK (elderly_living_alone IN (0, 1)),
                elderly_dependent INTEGER NOT NULL DEFAULT 0 CHECK (elderly_dependent IN (0, 1)),
                home_visit_hours INTEGER CHECK (home_visit_hours >= 0),
                home_visit_hours_used INTEGER CHECK (home_visit_hours_used >= 0),
                student_hardship INTEGER NOT NULL DEFAULT 0 CHECK (student_hardship IN (0, 1)),
                university TEXT,
                admission_year INTEGER,
                applied_on TEXT,
                rehab_child INTEGER NOT NULL DEFAULT 0 CHECK (rehab_child IN (0, 1)),
                rehab_facility_id INTEGER REFERENCES facilities(id),
                registered_on TEXT,
                -- A certificate has both a category and a grade, or neither.
                CHECK ((disability_category IS NULL) = (disability_grade IS NULL)),
                CHECK (home_visit_hours_used IS NULL OR home_visit_hours_used <= home_visit_hours)
            );
            CREATE INDEX members_place ON members(place_id);
            CREATE INDEX members_town ON members(town_id);
            CREATE INDEX members_birth_date ON members(birth_date);
            CREATE INDEX members_cert_expiry ON members(disability_cert_expiry)
                WHERE disability_cert_expiry IS NOT NULL;
            CREATE INDEX members_disability_grade ON members(disability_grade, disability_category)
                WHERE disability_grade IS NOT NULL;
            CREATE INDEX members_union_card ON members(town_id) WHERE union_card IS NOT NULL;
            CREATE INDEX members_student ON members(id) WHERE student_hardship = 1;

            CREATE TABLE member_tags (
                member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
                tag TEXT NOT NULL,
                PRIMARY KEY (member_id, tag)
            ) WITHOUT ROWID;
            CREATE INDEX member_tags_tag ON member_tags(tag, member_id);
            """)
    }
}
