import Foundation
import IMDB
import Testing

/// Hostile archives from issue 7, generated here: sizes the archive does not hold, several
/// gzip members, unsafe and malformed names, one class only.
@Suite struct HostileArchiveTests {
  /// Collects progress lines (warnings) from a load.
  final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
  }

  func load(_ bytes: [UInt8], in folder: TemporaryFolder, lines: Lines = Lines()) throws -> IMDBData {
    try IMDBLoader.load(
      from: folder.write(bytes, to: "hostile.tar.gz"), options: Sample.options, cacheDirectory: nil,
      progress: { lines.add($0) })
  }

  /// The description of the IMDBError that loading `bytes` throws.
  func loadError(_ bytes: [UInt8]) throws -> String {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    do {
      _ = try load(bytes, in: folder)
    } catch let error as IMDBError {
      return error.description
    }
    Issue.record("the archive loaded without an error")
    return ""
  }

  /// A ustar header whose size field holds `size` in base-256 (for sizes octal cannot hold).
  func header(name: String, base256Size size: Int) -> [UInt8] {
    var block = TarWriter.header(name: name, size: 0, type: UInt8(ascii: "0"))
    block[124] = 0x80
    for i in 0..<11 { block[135 - i] = UInt8(truncatingIfNeeded: size >> (8 * i)) }
    for i in 148..<156 { block[i] = UInt8(ascii: " ") }
    let sum = block.reduce(0) { $0 + Int($1) }
    for (i, byte) in String(format: "%06o", sum).utf8.enumerated() { block[148 + i] = byte }
    block[154] = 0
    return block
  }

  @Test func aReviewDeclaring64GiBIsRefusedWithoutAllocatingIt() throws {
    let bytes = gzip(header(name: "aclImdb/train/pos/1_8.txt", base256Size: 64 << 30) + [UInt8](repeating: 65, count: 512))
    let message = try loadError(bytes)
    #expect(message.contains("hostile.tar.gz") && message.contains("declares 68719476736 bytes"), "\(message)")
  }

  @Test func aSkippedEntryDeclaringMoreThanTheArchiveHoldsIsTruncation() throws {
    let bytes = gzip(header(name: "aclImdb/train/unsup/1_0.txt", base256Size: 64 << 30) + [UInt8](repeating: 65, count: 512))
    let message = try loadError(bytes)
    #expect(message.contains("truncated") && message.contains("hostile.tar.gz"), "\(message)")
  }

  @Test func aReviewLongerThanTheArchiveIsTruncationNotAnAllocation() throws {
    let size = (16 << 20) - 1  // within the limit, but the archive holds 512 bytes of it
    var bytes = TarWriter.header(name: "aclImdb/train/pos/1_8.txt", size: size, type: UInt8(ascii: "0"))
    bytes += [UInt8](repeating: 65, count: 512)
    let message = try loadError(gzip(bytes))
    #expect(message.contains("truncated") && message.contains("declares \(size) bytes"), "\(message)")
  }

  @Test func everyGzipMemberIsRead() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let tar = TarWriter.archive(Sample.reviews)
    let cut = 512 * 7  // a block boundary inside the fourth entry: members split it
    let whole = try load(gzip(tar), in: folder)
    let members = try load(gzip(Array(tar[..<cut])) + gzip(Array(tar[cut...])) + [0, 0, 0, 0], in: folder)
    #expect(members == whole)
    #expect(members.train.count + members.validation.count + members.test.count == Sample.reviews.count)
  }

  @Test func garbageAfterAGzipMemberIsAnError() throws {
    let message = try loadError(gzip(TarWriter.archive(Sample.reviews)) + Array("not gzip".utf8))
    #expect(message.contains("hostile.tar.gz") && message.contains("member 2"), "\(message)")
  }

  @Test func unsafeAndMalformedNamesAreSkippedWithAWarningThatCountsThem() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let hostile = [
      TarEntry("../aclImdb/train/pos/5_8.txt", "escaped"),
      TarEntry("/abs/aclImdb/train/neg/6_1.txt", "absolute"),
      TarEntry("aclImdb/train/pos/a/../7_9.txt", "dotted"),
      TarEntry("aclImdb/train/pos/great.txt", "no id"),
      TarEntry("aclImdb/test/neg/8_.txt", "no rating"),
    ]
    let lines = Lines()
    let data = try load(gzip(TarWriter.archive(Sample.reviews + hostile)), in: folder, lines: lines)
    #expect(data.train.count + data.validation.count + data.test.count == Sample.reviews.count)
    let warnings = lines.all.filter { $0.hasPrefix("warning:") }
    #expect(warnings.count == 1)
    let warning = warnings.first ?? ""
    #expect(warning.contains("3 entries with an absolute or '..' path"), "\(warning)")
    #expect(warning.contains("2 review files not named <id>_<rating>.txt"), "\(warning)")
    #expect(warning.contains("hostile.tar.gz"))
  }

  @Test func aCleanArchiveGivesNoWarning() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let lines = Lines()
    _ = try load(gzip(TarWriter.archive(Sample.reviews)), in: folder, lines: lines)
    #expect(!lines.all.contains { $0.hasPrefix("warning:") })
  }

  @Test(arguments: ["pos", "neg"]) func oneClassIsRefused(kept: String) throws {
    let oneClass = Sample.reviews.filter { !$0.path.hasPrefix("aclImdb/train/") || $0.path.contains("/\(kept)/") }
    let message = try loadError(gzip(TarWriter.archive(oneClass)))
    #expect(message.contains("one class only") && message.contains("aclImdb/train/\(kept)"), "\(message)")
  }
}
