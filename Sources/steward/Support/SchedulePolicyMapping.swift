import StewardCore
import StewardScheduler

// Core keeps a schedule's policies as stored; the scheduler plans with its own. The two sets
// are the same, mapped case by case: a case added on one side is a compile error here, where
// mapping by raw value fell back to `latest` or `forbid` without a word.

extension StewardScheduler.CatchUpPolicy {
    init(_ policy: StewardCore.CatchUpPolicy) {
        switch policy {
        case .skip: self = .skip
        case .latest: self = .latest
        case .all: self = .all
        }
    }
}

extension StewardCore.CatchUpPolicy {
    init(_ policy: StewardScheduler.CatchUpPolicy) {
        switch policy {
        case .skip: self = .skip
        case .latest: self = .latest
        case .all: self = .all
        }
    }
}

extension StewardScheduler.OverlapPolicy {
    init(_ policy: StewardCore.OverlapPolicy) {
        switch policy {
        case .forbid: self = .forbid
        case .allow: self = .allow
        }
    }
}

extension StewardCore.OverlapPolicy {
    init(_ policy: StewardScheduler.OverlapPolicy) {
        switch policy {
        case .forbid: self = .forbid
        case .allow: self = .allow
        }
    }
}
