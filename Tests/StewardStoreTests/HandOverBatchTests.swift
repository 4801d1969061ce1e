import StewardCore
import Testing
@testable import StewardStore

/// ``HandOverBatch`` carries members from the read-ahead thread to the cursor, each moved in
/// and out once: the same values come out in the order they went in, and values never taken
/// are destroyed with the batch, exactly once.
@Suite("A batch of values handed over by move")
struct HandOverBatchTests {
    static func member(_ index: Int) -> Member {
        Fixture.member("成员\(index)", birth: "1980-01-\(10 + index)", sequence: 300 + index, town: Fixture.jincheng,
                       tags: ["tag-\(index)"])
    }

    /// Counts its instances, to see each value destroyed once and only once.
    final class Counted {
        nonisolated(unsafe) static var alive = 0
        let number: Int
        init(_ number: Int) { self.number = number; Self.alive += 1 }
        deinit { Self.alive -= 1 }
    }

    @Test("members come out first in, first out, then nil; the batch is full at its capacity")
    func order() {
        let batch = HandOverBatch<Member>(capacity: 3)
        #expect(batch.isEmpty && !batch.isFull)
        for index in 0..<3 { batch.append(Self.member(index)) }
        #expect(batch.isFull && !batch.isEmpty)
        #expect(batch.popFirst() == Self.member(0))
        #expect(batch.popFirst() == Self.member(1))
        #expect(!batch.isEmpty)
        #expect(batch.popFirst() == Self.member(2))
        #expect(batch.isEmpty)
        #expect(batch.popFirst() == nil)
        #expect(batch.popFirst() == nil)
    }

    @Test("values taken belong to the taker; those never taken are destroyed with the batch, once")
    func ownership() {
        #expect(Counted.alive == 0)
        var taken: [Counted] = []
        do {
            let batch = HandOverBatch<Counted>(capacity: 5)
            for number in 0..<4 { batch.append(Counted(number)) }
            #expect(Counted.alive == 4)
            taken.append(batch.popFirst()!)
            taken.append(batch.popFirst()!)
            // Taking a value neither makes nor destroys one.
            #expect(Counted.alive == 4)
        }
        // The two left in the batch went with it; the two taken live on.
        #expect(Counted.alive == 2)
        #expect(taken.map(\.number) == [0, 1])
        taken.removeAll()
        #expect(Counted.alive == 0)
    }
}
