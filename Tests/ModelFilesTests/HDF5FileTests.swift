import CHDF5
import Foundation
import ModelFiles
import Testing

/// What a read leaves in HDF5 itself. An error HDF5 records stays on the stack of the thread
/// that made the call, holding HDF5's error classes and messages; at exit HDF5 clears only the
/// exiting thread's stack, cannot release them and prints "HDF5: infinite loop closing
/// library". Tests run off the main thread, as a reader of several files may.
@Suite struct HDF5FileTests {
  /// Errors on this thread's HDF5 error stack (H5Eget_num does not clear the stack first).
  var errorsOnThisThread: Int { Int(H5Eget_num(gradlab_h5_default_stack())) }

  @Test func aFailedReadLeavesNoErrorOnItsThread() throws {
    let whole = try Data(contentsOf: ModelImportTests.fixture("keras_lstm.h5"))
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-hdf5-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let cut = folder.appendingPathComponent("cut.h5")
    try whole.prefix(whole.count / 2).write(to: cut)

    #expect(throws: ModelFileError.self) { try HDF5File.read(cut) }
    #expect(errorsOnThisThread == 0)
    #expect(throws: ModelFileError.self) { try HDF5File.read(image: whole.prefix(whole.count / 2), name: "cut image") }
    #expect(errorsOnThisThread == 0)
    // A good read after them reads the whole file.
    #expect(try HDF5File.read(image: whole, name: "whole").datasets.count == HDF5File.read(ModelImportTests.fixture("keras_lstm.h5")).datasets.count)
    #expect(errorsOnThisThread == 0)
  }
}
