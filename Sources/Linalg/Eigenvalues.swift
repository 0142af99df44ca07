#if canImport(Accelerate)
  import Accelerate
#else
  import CBLAS
#endif
import Foundation

/// Eigenvalues and the spectral radius of small dense square matrices, by LAPACK `dgeev`
/// (balancing, Hessenberg reduction, shifted QR), always in Double: a `Matrix<Float>` is
/// widened first, which is exact, so its eigenvalues carry Double's rounding only.
///
/// The spectral radius ρ(A) = max |λᵢ| is what the powers of A tend to: ||Aᵏ||^(1/k) → ρ
/// (Gelfand), so a linear recurrence h_t = h_{t-1} A decays asymptotically at the rate log ρ
/// per step. The spectral norm σ_max(A) ≥ ρ(A) bounds every single step; the two are equal
/// for normal matrices (AᵀA = AAᵀ: symmetric, orthogonal, σ·orthogonal) and can differ by any
/// factor otherwise (a triangular matrix with a large off-diagonal part).
public enum Eigenvalues {
  /// One eigenvalue λ = real + i·imaginary.
  public struct Value: Sendable, Equatable {
    public var real: Double
    public var imaginary: Double
    public init(real: Double, imaginary: Double) {
      self.real = real
      self.imaginary = imaginary
    }
    /// |λ|, without overflow.
    public var magnitude: Double { Foundation.hypot(real, imaginary) }
  }

  /// All n eigenvalues of an n × n matrix, in LAPACK's order (complex pairs adjacent, the one
  /// with positive imaginary part first). NaN eigenvalues when the matrix has a NaN or an
  /// infinite element (LAPACK's result would be meaningless), none for a 0 × 0 matrix.
  /// - Complexity: about 10 n³ flops.
  public static func of<T: BLASScalar>(_ matrix: Matrix<T>) -> [Value] {
    precondition(matrix.rows == matrix.cols, "Eigenvalues.of needs a square matrix, got \(matrix.shape)")
    let n = matrix.rows
    guard n > 0 else { return [] }
    guard matrix.allFinite else { return Array(repeating: Value(real: .nan, imaginary: .nan), count: n) }
    // Row-major storage is the transpose in LAPACK's column-major view; Aᵀ has the same
    // eigenvalues, so the buffer goes in as it is.
    var a = matrix.storage.map { Double($0) }
    var (wr, wi) = ([Double](repeating: 0, count: n), [Double](repeating: 0, count: n))
    let info = geev(n: n, a: &a, wr: &wr, wi: &wi)
    // info > 0: the QR iteration failed to converge (not seen for finite input in practice).
    guard info == 0 else { return Array(repeating: Value(real: .nan, imaginary: .nan), count: n) }
    return zip(wr, wi).map { Value(real: $0, imaginary: $1) }
  }

  /// ρ(A) = max |λᵢ(A)|: the spectral radius of a square matrix (0 for 0 × 0, NaN for a
  /// matrix with a non-finite element).
  public static func spectralRadius<T: BLASScalar>(_ matrix: Matrix<T>) -> Double {
    of(matrix).reduce(0.0) { $1.magnitude.isNaN ? .nan : max($0, $1.magnitude) }
  }

  /// dgeev with no eigenvectors, after a workspace query; returns LAPACK's info.
  private static func geev(n: Int, a: inout [Double], wr: inout [Double], wi: inout [Double]) -> Int {
    // "N": no left (vl) and no right (vr) eigenvectors; their buffers are then never read.
    var (jobvl, jobvr) = (CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "N")))
    var (n32, lda, ldvl, ldvr, info) = (Int32(n), Int32(n), Int32(1), Int32(1), Int32(0))
    var (vl, vr) = ([0.0], [0.0])
    func call(_ work: inout [Double], _ lwork: Int32) {
      var lwork = lwork
      #if canImport(Accelerate)
        dgeev_(&jobvl, &jobvr, &n32, &a, &lda, &wr, &wi, &vl, &ldvl, &vr, &ldvr, &work, &lwork, &info)
      #else
        dgeev_(&jobvl, &jobvr, &n32, &a, &lda, &wr, &wi, &vl, &ldvl, &vr, &ldvr, &work, &lwork, &info, 1, 1)
      #endif
    }
    var query = [Double](repeating: 0, count: 1)
    call(&query, -1)
    var work = [Double](repeating: 0, count: max(3 * n, Int(query[0])))
    call(&work, Int32(work.count))
    return Int(info)
  }
}

/// The spectral norm σ_max and the spectral radius ρ of one square matrix: the bound on a
/// single step of h_t = h_{t-1} A and the asymptotic rate of many (ρ ≤ σ_max, equal for
/// normal matrices).
public struct MatrixSpectrum: Sendable, Equatable, Codable {
  public var spectralNorm: Double
  public var spectralRadius: Double

  public init(spectralNorm: Double, spectralRadius: Double) {
    self.spectralNorm = spectralNorm
    self.spectralRadius = spectralRadius
  }

  /// σ_max (`SingularValues.spectralNorm`, relative error about 1e-13) and ρ (LAPACK
  /// dgeev) of a square matrix, in Double.
  public init<T: BLASScalar>(of matrix: Matrix<T>) {
    precondition(matrix.rows == matrix.cols, "MatrixSpectrum needs a square matrix, got \(matrix.shape)")
    let wide = matrix.converted(to: Double.self)
    spectralNorm = SingularValues.spectralNorm(wide)
    spectralRadius = Eigenvalues.spectralRadius(wide)
  }

  /// The spectrum of each H × H column block of an H × (count·H) matrix, left to right: the
  /// gate blocks of a recurrent kernel (Keras layout, gates side by side).
  public static func ofColumnBlocks<T: BLASScalar>(_ kernel: Matrix<T>, count: Int) -> [MatrixSpectrum] {
    precondition(count >= 1 && kernel.cols == count * kernel.rows, "ofColumnBlocks needs an H x \(count)H matrix, got \(kernel.shape)")
    let h = kernel.rows
    return (0..<count).map { MatrixSpectrum(of: kernel.columns((h * $0)..<(h * ($0 + 1)))) }
  }
}
