import CHDF5
import Foundation

/// The numeric datasets and root string attributes of an HDF5 file (Keras' `.h5` and
/// `.weights.h5`), read whole through HDF5's C library and converted to Double.
public struct HDF5File: Sendable {
  public struct Dataset: Sendable, Equatable {
    /// Dimensions, outermost first (HDF5 and numpy's row-major order).
    public var shape: [Int]
    public var values: [Double]
  }

  /// Every numeric dataset by its path below the root ("layers/lstm/cell/vars/0").
  public var datasets: [String: Dataset] = [:]
  /// Datasets that hold no numbers (strings, compounds), by path.
  public var otherDatasets: [String] = []
  /// The root's string attributes that Keras writes (model_config, keras_version, backend).
  public var attributes: [String: String] = [:]

  /// The attributes `read` looks for on the root group.
  static let rootAttributes = ["model_config", "keras_version", "backend", "training_config"]

  /// One file is read at a time in the process (HDF5 builds without thread safety exist).
  static let library = NSLock()

  /// Reads the file at `url`.
  public static func read(_ url: URL) throws -> HDF5File {
    try withLibrary {
      let file = H5Fopen(url.path, gradlab_h5_read_only(), gradlab_h5_default())
      guard file >= 0 else { throw ModelFileError("\(url.path): HDF5 could not open the file (truncated, or not HDF5); save it again with model.save") }
      defer { H5Fclose(file) }
      return try read(file: file, name: url.path)
    }
  }

  /// Reads an HDF5 file image held in memory (a `.keras` archive's `model.weights.h5`).
  public static func read(image: Data, name: String) throws -> HDF5File {
    try withLibrary {
      let file = image.withUnsafeBytes { gradlab_h5_open_image($0.baseAddress, $0.count) }
      guard file >= 0 else { throw ModelFileError("\(name): HDF5 could not open the file (truncated, or not HDF5); save the model again") }
      defer { H5Fclose(file) }
      return try read(file: file, name: name)
    }
  }

  /// Runs `body` alone in the process with HDF5's printing of errors turned off, and empties
  /// this thread's HDF5 error stack after it. A failed call leaves its errors on the stack of
  /// the thread that made it, holding HDF5's error classes and messages; at exit HDF5 clears
  /// only the exiting thread's stack, cannot release them, and prints "HDF5: infinite loop
  /// closing library".
  static func withLibrary<T>(_ body: () throws -> T) throws -> T {
    library.lock()
    defer { library.unlock() }
    gradlab_h5_silence()
    defer { H5Eclear2(gradlab_h5_default_stack()) }
    return try body()
  }

  static func read(file: hid_t, name: String) throws -> HDF5File {
    var result = HDF5File()
    for attribute in rootAttributes {
      if let value = gradlab_h5_string_attribute(file, attribute) {
        result.attributes[attribute] = String(cString: value)
        free(value)
      }
    }
    final class Paths { var list: [String] = [] }
    let paths = Paths()
    let status = withExtendedLifetime(paths) {
      gradlab_h5_visit_datasets(file, { path, context in
        guard let path, let context else { return }
        Unmanaged<Paths>.fromOpaque(context).takeUnretainedValue().list.append(String(cString: path))
      }, Unmanaged.passUnretained(paths).toOpaque())
    }
    guard status >= 0 else { throw ModelFileError("\(name): HDF5 could not list the file's datasets (damaged file); save it again") }
    for path in paths.list {
      if let dataset = try readDataset(file, path, name: name) { result.datasets[path] = dataset } else { result.otherDatasets.append(path) }
    }
    return result
  }

  /// A numeric dataset converted to Double; nil for one that holds no numbers.
  static func readDataset(_ file: hid_t, _ path: String, name: String) throws -> Dataset? {
    let dataset = H5Dopen2(file, path, gradlab_h5_default())
    guard dataset >= 0 else { throw ModelFileError("\(name): HDF5 could not open dataset \(path) (damaged file)") }
    defer { H5Dclose(dataset) }
    let type = H5Dget_type(dataset)
    defer { H5Tclose(type) }
    let typeClass = H5Tget_class(type)
    guard typeClass == H5T_FLOAT || typeClass == H5T_INTEGER else { return nil }
    let space = H5Dget_space(dataset)
    defer { H5Sclose(space) }
    let rank = Int(H5Sget_simple_extent_ndims(space))
    guard rank >= 0 && rank <= 8 else { throw ModelFileError("\(name): dataset \(path) has rank \(rank); GradLab reads tensors of rank 0 to 8") }
    var dims = [hsize_t](repeating: 0, count: max(rank, 1))
    H5Sget_simple_extent_dims(space, &dims, nil)
    let shape = dims.prefix(rank).map { Int($0) }
    let (count, overflow) = shape.reduce((1, false)) { acc, d in
      let (p, o) = acc.0.multipliedReportingOverflow(by: d)
      return (p, acc.1 || o)
    }
    guard !overflow && count <= 1 << 31 else { throw ModelFileError("\(name): dataset \(path) of shape \(shape) is too large to read") }
    var values = [Double](repeating: 0, count: count)
    if count > 0 {
      let status = values.withUnsafeMutableBytes {
        H5Dread(dataset, gradlab_h5_native_double(), gradlab_h5_all(), gradlab_h5_all(), gradlab_h5_default(), $0.baseAddress)
      }
      guard status >= 0 else { throw ModelFileError("\(name): HDF5 could not read dataset \(path) (damaged file)") }
    }
    return Dataset(shape: shape, values: values)
  }
}

/// A model file GradLab cannot read or map, with a message naming the file and what to do.
public struct ModelFileError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ description: String) { self.description = description }
}
