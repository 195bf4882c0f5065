import Testing

@testable import BackupSimEngine
@testable import BackupSimModel

/// Restore points' compositions: entries in any order, read back per point, summed by class.
@Suite struct PointCompositionsTests {
  typealias Entry = PointCompositions.Entry

  static func entry(_ point: Int32, _ cls: StorageClass, _ objects: Int, _ bytes: Int64, _ largest: Int64) -> Entry {
    Entry(point: point, kind: UInt8(cls.index), objects: objects, bytes: bytes, largestObject: largest)
  }

  /// Point 2 has two STANDARD parts (from two keys' stacks) and a GLACIER one, point 0 one
  /// INTELLIGENT_TIERING part whose 3 objects sit in Deep Archive Access; points 1 and 3 hold nothing.
  let compositions = PointCompositions(
    unordered: [
      entry(2, .standard, 1, 100, 100),
      entry(0, .intelligentTiering, 3, 3 << 20, 1 << 20),
      entry(2, .glacier, 4, 4_000, 1_500),
      Entry(point: 0, kind: PointCompositions.archivedBase + UInt8(AccessTier.deepArchive.index), objects: 3, bytes: 3 << 20, largestObject: 1 << 20),
      entry(2, .standard, 2, 50, 30),
    ], pointCount: 4)

  @Test func eachPointSumsItsPartsByClass() throws {
    let two = try #require(compositions[2])
    #expect(
      two.byClass == [.standard: .init(objects: 3, bytes: 150, largestObject: 100), .glacier: .init(objects: 4, bytes: 4_000, largestObject: 1_500)])
    #expect(two.archivedInIntelligentTiering.isEmpty)
    let zero = try #require(compositions[0])
    #expect(zero.byClass == [.intelligentTiering: .init(objects: 3, bytes: 3 << 20, largestObject: 1 << 20)])
    #expect(zero.archivedInIntelligentTiering == [.deepArchive: .init(objects: 3, bytes: 3 << 20, largestObject: 1 << 20)])
    #expect(compositions[1] == nil && compositions[3] == nil && compositions[7] == nil)
  }

  /// Few entries among many points are ordered 11 bits of the point at a time.
  ///
  /// (The other tests use one counting sort.) Each point still reads its own entries, whichever
  /// digit tells them apart: 2,047 and 2,048 differ in the first digit and the second; 4,194,303
  /// and 4,194,304 (2^22) in all three.
  @Test func sparsePointsAreOrderedAlike() {
    let sparse = PointCompositions(
      unordered: [
        Self.entry(900, .standard, 1, 10, 10), Self.entry(3, .glacier, 2, 20, 10), Self.entry(900, .standard, 4, 40, 30),
        Self.entry(42, .standardIA, 1, 5, 5),
      ], pointCount: 1_000)
    #expect([0, 3, 42, 899, 900].map { sparse.objects(of: $0) } == [0, 2, 1, 0, 5])
    #expect(sparse[900]?.byClass == [.standard: .init(objects: 5, bytes: 50, largestObject: 30)])
    #expect(sparse[3]?.byClass == [.glacier: .init(objects: 2, bytes: 20, largestObject: 10)])
    #expect(sparse[899] == nil)

    let points: [Int32] = [9_999_999, 2_048, 4_194_304, 0, 2_047, 4_194_303, 2_048, 9_999_999]
    let wide = PointCompositions(
      unordered: points.enumerated().map { k, p in Self.entry(p, .standard, k + 1, 10, 10) }, pointCount: 10_000_000)
    // Objects are 1...8 by position: 2,048 has the 2nd and 7th entries, 9,999,999 the 1st and 8th.
    #expect([0, 2_047, 2_048, 2_049, 4_194_303, 4_194_304, 9_999_998, 9_999_999].map { wide.objects(of: $0) } == [4, 5, 9, 0, 6, 3, 0, 9])
  }

  @Test func objectsCountEachVersionOnceNotItsArchiveTier() {
    #expect((0..<4).map { compositions.objects(of: $0) } == [3, 0, 7, 0])
  }

  @Test func pointsCopiedFromSeveralSourcesStayInOrder() {
    var merged = PointCompositions()
    let other = PointCompositions(unordered: [Self.entry(1, .standardIA, 5, 500, 100)], pointCount: 4)
    merged.append(pointOf: compositions, 0)
    merged.append(pointOf: other, 1)
    merged.append(pointOf: compositions, 2)
    #expect((0..<4).map { merged.objects(of: $0) } == [3, 5, 7, 0])
    #expect(merged[1]?.byClass == [.standardIA: .init(objects: 5, bytes: 500, largestObject: 100)])
    #expect(merged[2] == compositions[2])
  }
}
