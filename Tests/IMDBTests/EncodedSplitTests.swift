import IMDB
import Testing

@Suite struct EncodedSplitTests {
  let sequences: [[Int32]] = [[1, 5, 6], [1, 5, 6, 7, 8, 9], [1, 4, 4, 4]]

  @Test func prePadsOnTheLeftAndKeepsTheLastTokens() {
    let split = EncodedSplit(sequences: sequences, labels: [1, 0, 1], length: 4, padding: .pre)
    #expect(split.tokens == [0, 1, 5, 6, 6, 7, 8, 9, 1, 4, 4, 4])
    #expect(split.lengths == [3, 6, 4])
    #expect(split.count == 3)
    #expect(Array(split.row(1)) == [6, 7, 8, 9])
  }

  @Test func postPadsOnTheRightAndKeepsTheFirstTokens() {
    let split = EncodedSplit(sequences: sequences, labels: [1, 0, 1], length: 4, padding: .post)
    #expect(split.tokens == [1, 5, 6, 0, 1, 5, 6, 7, 1, 4, 4, 4])
    #expect(split.labels == [1, 0, 1])
    #expect(split.lengths == [3, 6, 4])
  }

  @Test func emptySplit() {
    let split = EncodedSplit(sequences: [], labels: [], length: 4, padding: .pre)
    #expect(split.count == 0 && split.tokens.isEmpty)
  }
}
