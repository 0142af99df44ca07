import Foundation
import Testing

/// The scripts committed beside the course's data (plots/, docs/) name no machine's folders,
/// so a reader can rerun them from a clone: they take paths relative to the repository or as
/// variables. System paths (/usr/bin/time, /proc/cpuinfo) are fine.
@Suite struct CommittedScriptTests {
  static let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let scriptExtensions: Set<String> = ["sh", "py", "gp", "c"]
  /// An absolute path into a machine's own folders: after the start of a line, a blank, a quote,
  /// `=`, `(`, `:` or `;`.
  static var machineFolder: Regex<(Substring, Substring, Substring)> {
    #/(^|[\s="'(:;])/(work|home|root|tmp|Users|mnt|srv|opt|scratch)/[^\s"']*/#
  }

  static func scripts(under folder: String) -> [URL] {
    let root = repository.appendingPathComponent(folder)
    guard let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
    return walk.compactMap { $0 as? URL }.filter { scriptExtensions.contains($0.pathExtension) }
  }

  @Test(arguments: ["plots", "docs"])
  func scriptsNameNoMachineFolders(folder: String) throws {
    let scripts = Self.scripts(under: folder)
    #expect(!scripts.isEmpty, "no scripts found under \(folder)")
    for script in scripts {
      let text = try String(contentsOf: script, encoding: .utf8)
      for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let found = line.matches(of: Self.machineFolder).map { String($0.output.0).trimmingCharacters(in: CharacterSet(charactersIn: " \t=\"'(:;")) }
        #expect(found.isEmpty, "\(script.path):\(number + 1) names \(found)")
      }
    }
  }

  @Test func theCheckSeesAMachineFolder() {
    let lines = ["out=/work/longruns/i9/final; cd $out", "python3 \"/home/me/x.py\"", "x = 1/0; datadir.\"/tasks/\"", "/usr/bin/time -v gradlab"]
    #expect(lines.map { !$0.matches(of: Self.machineFolder).isEmpty } == [true, true, false, false])
  }
}
