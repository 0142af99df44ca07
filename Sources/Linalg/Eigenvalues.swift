#if canImport(Accelerate)
  import Accelerate
#else
  import CBLAS
#endif
import Foundation

/// Eigenvalues and the spectral radius of small dense square matrices, by LAPACK `dgeevx`
/// (balancing, Hessenberg reduction, shifted QR, left and right eigenvectors for the condition
/// numbers), always in Double: a `Matrix<Float>` is widened first, which is exact, so its
/// eigenvalues carry Double's rounding only.
///
/// The spectral radius ρ(A) = max |λᵢ| is what the powers of A tend to: ||Aᵏ||^(1/k) → ρ
/// (Gelfand), so a linear recurrence h_t = h_{t-1} A decays asymptotically at the rate log ρ
/// per step. The spectral norm σ_max(A) ≥ ρ(A) bounds every single step; the two are equal
/// for normal matrices (AᵀA = AAᵀ: symmetric, orthogonal, σ·orthogonal) and can differ by any
/// factor otherwise (a triangular matrix with a large off-diagonal part).
///
/// An eigenvalue of a non-normal matrix can be ill-conditioned: LAPACK's computed λᵢ is within
/// about ε ||A||₁ / sᵢ of the true one (the LAPACK Users' Guide's bound for xGEEVX, ε the
/// machine epsilon, ||A||₁ of the balanced matrix as LAPACK sees it: row-major storage hands
/// it Aᵀ, so A's largest row sum), where sᵢ = |yᵢᴴxᵢ| / (||xᵢ|| ||yᵢ||) ∈ (0, 1]
/// is its reciprocal condition number (RCONDE; 1 for a normal matrix). LAPACK calls BLAS
/// inside, so those noise digits change with the BLAS kernel: `SpectralRadius` keeps only the
/// digits the bound supports.
public enum Eigenvalues {
  /// One eigenvalue λ = real + i·imaginary, with its reciprocal condition number.
  public struct Value: Sendable, Equatable {
    public var real: Double
    public var imaginary: Double
    /// sᵢ (LAPACK's RCONDE): 1 for a perfectly conditioned eigenvalue, towards 0 for an
    /// ill-conditioned one.
    public var condition: Double
    /// ε ||A||₁ / sᵢ: about how far the computed λ may be from the true one (a first-order
    /// bound; the actual error is often far smaller).
    public var errorBound: Double
    public init(real: Double, imaginary: Double, condition: Double = 1, errorBound: Double = 0) {
      self.real = real
      self.imaginary = imaginary
      self.condition = condition
      self.errorBound = errorBound
    }
    /// |λ|, without overflow.
    public var magnitude: Double { Foundation.hypot(real, imaginary) }
  }

  /// All n eigenvalues of an n × n matrix, in LAPACK's order (complex pairs adjacent, the one
  /// with positive imaginary part first). NaN eigenvalues when the matrix has a NaN or an
  /// infinite element (LAPACK's result would be meaningless), none for a 0 × 0 matrix.
  /// - Complexity: about 25 n³ flops (the eigenvectors the condition numbers need included).
  public static func of<T: BLASScalar>(_ matrix: Matrix<T>) -> [Value] {
    precondition(matrix.rows == matrix.cols, "Eigenvalues.of needs a square matrix, got \(matrix.shape)")
    let n = matrix.rows
    guard n > 0 else { return [] }
    let failed = Array(repeating: Value(real: .nan, imaginary: .nan, condition: .nan, errorBound: .nan), count: n)
    guard matrix.allFinite else { return failed }
    // Row-major storage is the transpose in LAPACK's column-major view; Aᵀ has the same
    // eigenvalues and condition numbers, so the buffer goes in as it is.
    var a = matrix.storage.map { Double($0) }
    guard let result = geevx(n: n, a: &a) else { return failed }
    return (0..<n).map { i in
      Value(
        real: result.wr[i], imaginary: result.wi[i], condition: result.rconde[i],
        errorBound: Double.ulpOfOne * result.abnrm / result.rconde[i])
    }
  }

  /// ρ(A) = max |λᵢ(A)|, as computed (its noise digits included): 0 for 0 × 0, NaN for a
  /// matrix with a non-finite element. `SpectralRadius(of:)` keeps the supported digits only.
  public static func spectralRadius<T: BLASScalar>(_ matrix: Matrix<T>) -> Double {
    of(matrix).reduce(0.0) { $1.magnitude.isNaN ? .nan : max($0, $1.magnitude) }
  }

  /// dgeevx with balancing ("B"), both eigenvector sets ("V", needed for RCONDE) and the
  /// eigenvalue condition numbers ("E"), after a workspace query; nil when LAPACK's info is
  /// not 0 (the QR iteration failed to converge: not seen for finite input in practice).
  private static func geevx(n: Int, a: inout [Double]) -> (wr: [Double], wi: [Double], rconde: [Double], abnrm: Double)? {
    var (balanc, jobv, sense) = (CChar(UInt8(ascii: "B")), CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "E")))
    var (n32, lda, info, ilo, ihi) = (Int32(n), Int32(n), Int32(0), Int32(0), Int32(0))
    var (wr, wi, scale) = ([Double](repeating: 0, count: n), [Double](repeating: 0, count: n), [Double](repeating: 0, count: n))
    var (rconde, rcondv) = ([Double](repeating: 0, count: n), [Double](repeating: 0, count: n))
    var (vl, vr) = ([Double](repeating: 0, count: n * n), [Double](repeating: 0, count: n * n))
    var abnrm = 0.0
    var iwork = [Int32](repeating: 0, count: max(1, 2 * n - 2))  // not referenced for SENSE = "E"
    func call(_ work: inout [Double], _ lwork: Int32) {
      var (jobvl, jobvr, lwork) = (jobv, jobv, lwork)
      #if canImport(Accelerate)
        dgeevx_(
          &balanc, &jobvl, &jobvr, &sense, &n32, &a, &lda, &wr, &wi, &vl, &lda, &vr, &lda, &ilo, &ihi, &scale, &abnrm,
          &rconde, &rcondv, &work, &lwork, &iwork, &info)
      #else
        dgeevx_(
          &balanc, &jobvl, &jobvr, &sense, &n32, &a, &lda, &wr, &wi, &vl, &lda, &vr, &lda, &ilo, &ihi, &scale, &abnrm,
          &rconde, &rcondv, &work, &lwork, &iwork, &info, 1, 1, 1, 1)
      #endif
    }
    var query = [Double](repeating: 0, count: 1)
    call(&query, -1)
    var work = [Double](repeating: 0, count: max(3 * n, Int(query[0])))
    call(&work, Int32(work.count))
    return info == 0 ? (wr, wi, rconde, abnrm) : nil
  }
}

/// ρ(A) reported only to the digits its condition supports, so that no BLAS kernel's noise
/// reaches a table: the computed max |λᵢ| rounded to a multiple of `step`, the power of ten
/// at least 100 times its error bound ε ||A||₁ / s (s: the reciprocal condition number of the
/// eigenvalue that sets ρ). Another BLAS kernel moves the computed value by about the bound
/// for a well-conditioned ρ and far less for an ill-conditioned one (the bound is a worst
/// case), at most a hundredth of a step, so the rounded value changes only when the computed
/// one lies that close to a rounding boundary. `condition` is kept to two significant digits
/// for the same reason.
public struct SpectralRadius: Sendable, Equatable, Codable {
  /// ρ rounded to a multiple of `step`; NaN when not even the leading digit is supported
  /// (step > ρ) or the matrix has a non-finite element.
  public var value: Double
  /// The smallest s among the eigenvalues that set ρ (the largest modulus and those within
  /// its error bound of it), to two significant digits: 1 for a normal matrix.
  public var condition: Double
  /// The power of ten ρ is rounded to (0 when ρ is exactly 0).
  public var step: Double

  public init(value: Double, condition: Double, step: Double) {
    self.value = value
    self.condition = condition
    self.step = step
  }

  /// The spectral radius of a square matrix from its `Eigenvalues.of` (0 for 0 × 0).
  public init<T: BLASScalar>(of matrix: Matrix<T>) {
    self.init(eigenvalues: Eigenvalues.of(matrix))
  }

  /// ρ from a list of eigenvalues with their conditions and error bounds.
  public init(eigenvalues: [Eigenvalues.Value]) {
    let top = eigenvalues.reduce(0.0) { $1.magnitude.isNaN ? .nan : max($0, $1.magnitude) }
    // No eigenvalue (0 × 0): ρ = 0; a non-finite matrix: NaN.
    guard top.isFinite, let first = eigenvalues.first(where: { $0.magnitude == top }) else {
      self.init(value: top.isNaN ? .nan : 0, condition: top.isNaN ? .nan : 1, step: top.isNaN ? .nan : 0)
      return
    }
    // The eigenvalues the top one cannot be told from (within its own error bound: a complex
    // pair, the equal moduli of a normal matrix). Neighbours further down are left out: their
    // own condition numbers, noise when tiny, would make the row change with the kernel.
    let candidates = eigenvalues.filter { $0.magnitude >= top - first.errorBound }
    let bound = candidates.map(\.errorBound).max() ?? 0
    let condition = Self.twoDigits(candidates.map(\.condition).min() ?? 1)
    guard top > 0 else {
      self.init(value: 0, condition: condition, step: 0)
      return
    }
    // The power of ten at least 100 times the bound (and at least ρ's 17th digit).
    let exponent = Int(Foundation.log10(max(100 * bound, top * 1e-16)).rounded(.up))
    let step = Foundation.pow(10, Double(exponent))
    guard step <= top else {
      self.init(value: .nan, condition: condition, step: step)
      return
    }
    // Divide by 10^-e rather than multiply by 10^e: exact powers of ten for e ≤ 22.
    let rounded = exponent < 0
      ? (top * Foundation.pow(10, Double(-exponent))).rounded() / Foundation.pow(10, Double(-exponent))
      : (top / step).rounded() * step
    self.init(value: rounded, condition: condition, step: step)
  }

  /// x to two significant digits.
  static func twoDigits(_ x: Double) -> Double {
    guard x.isFinite, x > 0 else { return x }
    let exponent = Int(Foundation.log10(x).rounded(.down)) - 1
    let scale = Foundation.pow(10, Double(-exponent))
    return (x * scale).rounded() / scale
  }
}

/// The spectral norm σ_max and the spectral radius ρ of one square matrix: the bound on a
/// single step of h_t = h_{t-1} A and the asymptotic rate of many (ρ ≤ σ_max, equal for
/// normal matrices).
public struct MatrixSpectrum: Sendable, Equatable, Codable {
  public var spectralNorm: Double
  /// ρ to the digits its condition supports, with that condition.
  public var radius: SpectralRadius
  /// ρ rounded to the digits its condition supports (`radius.value`).
  public var spectralRadius: Double { radius.value }

  public init(spectralNorm: Double, radius: SpectralRadius) {
    self.spectralNorm = spectralNorm
    self.radius = radius
  }

  /// σ_max (`SingularValues.spectralNorm`, relative error about 1e-13) and ρ (LAPACK
  /// dgeevx, to its supported digits) of a square matrix, in Double.
  public init<T: BLASScalar>(of matrix: Matrix<T>) {
    precondition(matrix.rows == matrix.cols, "MatrixSpectrum needs a square matrix, got \(matrix.shape)")
    let wide = matrix.converted(to: Double.self)
    spectralNorm = SingularValues.spectralNorm(wide)
    radius = SpectralRadius(of: wide)
  }

  /// The spectrum of each H × H column block of an H × (count·H) matrix, left to right: the
  /// gate blocks of a recurrent kernel (Keras layout, gates side by side).
  public static func ofColumnBlocks<T: BLASScalar>(_ kernel: Matrix<T>, count: Int) -> [MatrixSpectrum] {
    precondition(count >= 1 && kernel.cols == count * kernel.rows, "ofColumnBlocks needs an H x \(count)H matrix, got \(kernel.shape)")
    let h = kernel.rows
    return (0..<count).map { MatrixSpectrum(of: kernel.columns((h * $0)..<(h * ($0 + 1)))) }
  }
}
