import Foundation
import IMDB
import TestSupport
import Testing

/// Seeded truncations and bit flips of a small valid archive: each one loads (a flip can
/// land in padding), or fails with an `IMDBError` that names the file; none traps.
@Suite struct ArchiveFuzzTests {
  @Test func damagedArchivesLoadOrFailWithAClearError() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let valid = gzip(TarWriter.archive(Sample.official))
    var failures = 0
    for (index, (what, bytes)) in Damage.variants(of: valid, count: 400, seed: 7).enumerated() {
      let url = try folder.write(bytes, to: "fuzz-\(index).tar.gz")
      do {
        _ = try IMDBLoader.load(from: url, options: Sample.options, cacheDirectory: nil)
      } catch let error as IMDBError {
        failures += 1
        #expect(error.description.contains(url.path), "\(what): \(error)")
      } catch {
        Issue.record("\(what): not an IMDBError: \(error)")
      }
    }
    // gzip's CRC catches nearly every flip: a fuzz that never fails tests nothing.
    #expect(failures > 300)
  }
}
