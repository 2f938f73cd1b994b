/// A growable stack the parser reuses for the members and elements of the containers it is
/// building. A finished container is *moved* out into an exactly sized array, which saves the
/// retain/release pair per element and the regrowth copies that appending to a fresh array costs.
struct ScratchStack<Element>: ~Copyable {
    private var storage: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 64) {
        self.capacity = max(capacity, 1)
        storage = .allocate(capacity: self.capacity)
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    @inline(__always)
    mutating func push(_ element: consuming Element) {
        if count == capacity { grow() }
        (storage + count).initialize(to: element)
        count += 1
    }

    @inline(__always)
    func element(at index: Int) -> Element {
        storage[index]
    }

    @inline(__always)
    mutating func replaceElement(at index: Int, with element: consuming Element) {
        storage[index] = element
    }

    /// Moves the elements from `start` to the top into a new array and pops them.
    mutating func popArray(from start: Int) -> [Element] {
        let moved = count - start
        guard moved > 0 else { return [] }
        let source = storage + start
        let result = [Element](unsafeUninitializedCapacity: moved) { buffer, initialized in
            buffer.baseAddress!.moveInitialize(from: source, count: moved)
            initialized = moved
        }
        count = start
        return result
    }

    /// Pops the elements from `start` to the top, destroying them.
    mutating func pop(to start: Int) {
        guard start < count else { return }
        (storage + start).deinitialize(count: count - start)
        count = start
    }

    /// Calls `body` with the elements from `start` to the top, in place.
    func withElements<Result>(from start: Int, _ body: (UnsafeBufferPointer<Element>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(start: storage + start, count: count - start))
    }

    private mutating func grow() {
        let newCapacity = capacity * 2
        let newStorage = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        newStorage.moveInitialize(from: storage, count: count)
        storage.deallocate()
        storage = newStorage
        capacity = newCapacity
    }
}

extension ScratchStack where Element == UInt8 {
    /// The first byte, for reading the stack as a byte string; valid until the next mutation.
    var baseAddress: UnsafePointer<UInt8> { UnsafePointer(storage) }

    mutating func append(_ bytes: UnsafePointer<UInt8>, count byteCount: Int) {
        guard byteCount > 0 else { return }
        while count + byteCount > capacity { grow() }
        (storage + count).initialize(from: bytes, count: byteCount)
        count += byteCount
    }

    mutating func removeAll() {
        count = 0
    }
}
