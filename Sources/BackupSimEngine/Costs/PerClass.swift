import BackupSimModel

/// One number per storage class, by `StorageClass.index`, held inline rather than in an array.
///
/// The bucket's totals and the billing rate change on every upload and removal; as arrays, each
/// change checked the array's uniqueness through a call of its own.
struct PerClass<Element: BitwiseCopyable & AdditiveArithmetic & Sendable>: Sendable, Equatable {
  static var count: Int { 7 }
  private var storage = InlineArray<7, Element>(repeating: .zero)

  init() {
    precondition(StorageClass.allCases.count == Self.count, "PerClass holds one number per storage class")
  }

  @inline(__always)
  subscript(i: Int) -> Element {
    get { storage[i] }
    set { storage[i] = newValue }
  }

  var indices: Range<Int> { 0..<Self.count }

  var array: [Element] { indices.map { storage[$0] } }

  static func == (a: PerClass, b: PerClass) -> Bool { a.indices.allSatisfy { a[$0] == b[$0] } }
}
