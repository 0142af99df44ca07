import Linalg
import SeededRandom
import Timing

/// The machine's practical sgemm speed: the median of a few 2048³ single-precision
/// products with BLAS' own threads, the ceiling training speed is measured against. Leaves
/// BLAS set to `threads` threads: the caller sets what it needs next.
public enum SGEMMCeiling {
  public static func measure(size n: Int = 2048, repeats: Int = 5, threads: Int = 2) -> Double {
    var rng = SeededGenerator(seed: 3)
    let a: Matrix<Float> = Initializer.uniform(rows: n, cols: n, limit: 1, using: &rng)
    let b: Matrix<Float> = Initializer.uniform(rows: n, cols: n, limit: 1, using: &rng)
    var c = Matrix<Float>(rows: n, cols: n)
    BLASRuntime.setThreads(threads)
    c.gemm(a, b)  // warm-up: threads started, pages touched
    var seconds: [Double] = []
    for _ in 0..<repeats {
      seconds.append(Stopwatch.timed { c.gemm(a, b) }.seconds)
    }
    seconds.sort()
    return 2 * Double(n) * Double(n) * Double(n) / seconds[seconds.count / 2] / 1e9
  }
}
