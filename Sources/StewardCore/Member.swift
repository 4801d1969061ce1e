/// Identifies a member (a person served). Assigned by the store.
public typealias MemberID = Int64

/// A person served by one or more of the offices: a certified disabled person, a union
/// member, an elderly resident, a student, a child in rehabilitation — or several at once.
///
/// Group attributes are optional typed values rather than columns of loose fields, so that
/// "has a disability certificate" is `disability != nil` and a grade can never exist
/// without a category.
public struct Member: Sendable, Hashable, Codable, Identifiable {
    public var id: MemberID
    public var identityNumber: IdentityNumber
    /// Full Chinese name, `王秀英`.
    public var name: String
    public var sex: Sex
    public var birthDate: CivilDate
    /// The town or sub-district (place code) the member belongs to.
    public var placeCode: String
    /// The community or village (place code), when known.
    public var communityCode: String?
    public var phone: PhoneNumber?
    public var household: HouseholdFlags
    public var disability: DisabilityCertificate?
    public var unionCard: UnionCard?
    public var elderly: ElderlyStatus?
    public var student: Student?
    public var rehabChild: RehabChild?
    /// Free labels (`student-hardship`, `winter-warmth-2025`); scripts filter by them.
    public var tags: Set<String>

    /// Completed years of age on `date` (see `CivilDate.age(on:)` for 29 February).
    public func age(on date: CivilDate) -> Int {
        birthDate.age(on: date)
    }

    /// True when `tag` is one of the member's tags.
    public func hasTag(_ tag: String) -> Bool { tags.contains(tag) }

    /// True when a tag is acceptable: 1–64 characters, no whitespace, comma or semicolon
    /// (CSV files list tags separated by `;`).
    public static func isValidTag(_ tag: String) -> Bool {
        !tag.isEmpty && tag.count <= 64
            && !tag.contains(where: { $0.isWhitespace || $0 == "," || $0 == ";" || $0 == "，" || $0 == "；" })
    }
}

// The initialisers are declared in an extension so that Swift still synthesises the
// memberwise one (internal), which ``decoded(id:identityNumber:name:sex:birthDate:placeCode:communityCode:phone:household:disability:unionCard:elderly:student:rehabChild:tags:)``
// uses: it stores each part straight into place, where an initialiser written out copied the
// whole member once more (see ``LedgerEffect``).
extension Member {
    /// A member; sex and birth date default to what the identity number encodes.
    ///
    /// Inlinable: called across the module boundary, the member was built, copied out and the
    /// original destroyed (1,200 instructions a member; see ``decoded(id:identityNumber:name:sex:birthDate:placeCode:communityCode:phone:household:disability:unionCard:elderly:student:rehabChild:tags:)``
    /// for the store's bulk path).
    @inlinable
    public init(id: MemberID, identityNumber: IdentityNumber, name: String,
                sex: Sex? = nil, birthDate: CivilDate? = nil,
                placeCode: String, communityCode: String? = nil, phone: PhoneNumber? = nil,
                household: HouseholdFlags = .none, disability: DisabilityCertificate? = nil,
                unionCard: UnionCard? = nil, elderly: ElderlyStatus? = nil, student: Student? = nil,
                rehabChild: RehabChild? = nil, tags: Set<String> = []) {
        self.id = id
        self.identityNumber = identityNumber
        self.name = name
        self.sex = sex ?? identityNumber.sex
        self.birthDate = birthDate ?? identityNumber.birthDate
        self.placeCode = placeCode
        self.communityCode = communityCode
        self.phone = phone
        self.household = household
        self.disability = disability
        self.unionCard = unionCard
        self.elderly = elderly
        self.student = student
        self.rehabChild = rehabChild
        self.tags = tags
    }

    /// A member from every one of its parts, none derived: for the store, which decodes
    /// members by the ten thousand on its read-ahead thread and checks each part on the way.
    ///
    /// Built by the synthesised memberwise initialiser, the only one Swift 6.3's optimiser
    /// compiles without copying the whole record out of it (376 bytes and a dozen retains
    /// and releases a member).
    public static func decoded(id: MemberID, identityNumber: IdentityNumber, name: String, sex: Sex,
                               birthDate: CivilDate, placeCode: String, communityCode: String?,
                               phone: PhoneNumber?, household: HouseholdFlags,
                               disability: DisabilityCertificate?, unionCard: UnionCard?,
                               elderly: ElderlyStatus?, student: Student?, rehabChild: RehabChild?,
                               tags: Set<String>) -> Member {
        Member(id: id, identityNumber: identityNumber, name: name, sex: sex, birthDate: birthDate,
               placeCode: placeCode, communityCode: communityCode, phone: phone, household: household,
               disability: disability, unionCard: unionCard, elderly: elderly, student: student,
               rehabChild: rehabChild, tags: tags)
    }
}

extension Member: Validatable {
    /// Checks the member and each group attribute present. Sex and birth date must agree with
    /// the identity number, because a mismatch means one of them was typed wrongly and both
    /// drive eligibility.
    public func validationErrors() -> [ValidationError] {
        var errors = Check.name(name, record: "member")
        if sex != identityNumber.sex {
            errors.append(Check.error("member", "sex",
                "The member's sex (\(sex.rawValue)) does not match the identity number \(identityNumber.masked), which says \(identityNumber.sex.rawValue)."))
        }
        if birthDate != identityNumber.birthDate {
            errors.append(Check.error("member", "birth_date",
                "The member's birth date \(birthDate) does not match the identity number \(identityNumber.masked), which says \(identityNumber.birthDate)."))
        }
        errors += Check.code(placeCode, record: "member", field: "place_code")
        if let communityCode { errors += Check.code(communityCode, record: "member", field: "community_code") }
        for tag in tags.sorted() where !Member.isValidTag(tag) {
            errors.append(Check.error("member", "tags",
                "The tag '\(tag)' must be 1–64 characters without spaces, commas or semicolons."))
        }
        errors += disability?.validationErrors() ?? []
        errors += unionCard?.validationErrors() ?? []
        errors += elderly?.validationErrors() ?? []
        errors += student?.validationErrors() ?? []
        errors += rehabChild?.validationErrors() ?? []
        return errors
    }
}
