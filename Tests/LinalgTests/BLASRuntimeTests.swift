import Linalg
import TestSupport
import Testing

@Suite struct BLASRuntimeTests {
  @Test func flushToZeroTurnsSubnormalsToZeroOnlyWhenSet() {
    func halve(_ x: Float) -> Float { x * 0.5 }
    let smallestNormal = Float.leastNormalMagnitude
    BLASRuntime.setFlushDenormals(false)
    #expect(halve(smallestNormal) > 0)
    #if arch(x86_64)
      BLASRuntime.setFlushDenormals(true)
      #expect(BLASRuntime.flushesDenormals)
      #expect(halve(smallestNormal) == 0)
      BLASRuntime.setFlushDenormals(false)
      #expect(!BLASRuntime.flushesDenormals)
    #endif
  }

  @Test func coreNameIsReported() {
    #expect(!BLASRuntime.coreName.isEmpty)
  }
}
