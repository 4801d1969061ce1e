/// One script run handed to a worker process (`steward worker`) as JSON on stdin.
public struct WorkerRequest: Codable, Sendable {
    public var source: String
    public var name: String
    public var memoryBytes: Int?
    public var instructions: Int?
    public var timeoutMs: Int64
    public var outputBytes: Int?

    public init(source: String, name: String, memoryBytes: Int? = 64 << 20, instructions: Int? = nil,
                timeoutMs: Int64 = 10_000, outputBytes: Int? = 1 << 20) {
        self.source = source
        self.name = name
        self.memoryBytes = memoryBytes
        self.instructions = instructions
        self.timeoutMs = timeoutMs
        self.outputBytes = outputBytes
    }
}
