import Foundation
import Testing
import Timing

@Suite struct StopwatchTests {
  @Test func measuresASleep() {
    let (result, seconds) = Stopwatch.timed { () -> Int in
      Thread.sleep(forTimeInterval: 0.05)
      return 7
    }
    #expect(result == 7)
    // The sleep lasts at least its interval; a loaded machine may stretch it, not shorten it.
    #expect(seconds >= 0.05 && seconds < 5)
  }

  @Test func neverGoesBack() {
    let watch = Stopwatch()
    var last = watch.seconds
    for _ in 0..<1000 {
      let now = watch.seconds
      #expect(now >= last)
      last = now
    }
    #expect(last >= 0)
  }
}
