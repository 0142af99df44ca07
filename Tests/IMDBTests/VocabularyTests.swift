import IMDB
import Testing

@Suite struct VocabularyTests {
  @Test func ranksByCountThenByteOrder() {
    // counts: b 3, a 2, c 2, zebra 1, éclair 1, d 1
    let vocabulary = Vocabulary(
      trainingTexts: ["b a c", "B A C b", "éclair zebra d"], size: 100)
    #expect(
      vocabulary.words == ["<pad>", "<start>", "<oov>", "b", "a", "c", "d", "zebra", "éclair"])
  }

  @Test func keepsSizeMinusThreeWords() {
    let vocabulary = Vocabulary(trainingTexts: ["x x x y y z"], size: 5)
    #expect(vocabulary.words == ["<pad>", "<start>", "<oov>", "x", "y"])
    #expect(vocabulary.count == 5)
  }

  @Test func encodePrefixesStartAndMapsUnknownWords() {
    let vocabulary = Vocabulary(trainingTexts: ["good good film"], size: 10)
    #expect(vocabulary.encode(["good", "film", "bad"]) == [1, 3, 4, 2])
    #expect(vocabulary.encode(Tokenizer.tokens("Film GOOD!")) == [1, 4, 3])
    #expect(vocabulary.encode([String]()) == [1])
  }

  @Test func comparesWordsByBytesNotUnicodeEquivalence() {
    let precomposed = "caf\u{E9}"  // é as one scalar
    let decomposed = "cafe\u{301}"  // e + combining acute
    let vocabulary = Vocabulary(trainingTexts: [precomposed, precomposed], size: 10)
    #expect(vocabulary.index(of: precomposed) == 3)
    #expect(vocabulary.index(of: decomposed) == Vocabulary.unknown)
  }
}
