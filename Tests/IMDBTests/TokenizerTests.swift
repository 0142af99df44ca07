import IMDB
import Testing

@Suite struct TokenizerTests {
  @Test func lineBreaksSeparateWords() {
    #expect(
      Tokenizer.tokens("one<br />two<br/>three<br>four<BR />five<br /><br />six")
        == ["one", "two", "three", "four", "five", "six"])
  }

  @Test func otherTagsAreSplitAtTheirBrackets() {
    #expect(Tokenizer.tokens("<b>bold</b> <bra>") == ["b", "bold", "b", "bra"])
  }

  @Test func asciiIsLowercased() {
    #expect(Tokenizer.tokens("Hello WORLD MiXeD") == ["hello", "world", "mixed"])
  }

  @Test func punctuationSeparatesAndDigitsStay() {
    #expect(
      Tokenizer.tokens("Great, movie!!! 10/10 (really).\tEnd-of-story")
        == ["great", "movie", "10", "10", "really", "end", "of", "story"])
  }

  @Test func apostrophesStayInsideButAreStrippedAtTheEnds() {
    #expect(
      Tokenizer.tokens("don't 'quoted' ''' rock'n'roll dogs'")
        == ["don't", "quoted", "rock'n'roll", "dogs"])
  }

  @Test func nonASCIIBytesStayInsideWords() {
    #expect(
      Tokenizer.tokens("Amélie, naïve CAFÉ — l’été")
        == ["amélie", "naïve", "cafÉ", "—", "l’été"])
  }

  @Test func emptyAndSeparatorOnlyTextHasNoTokens() {
    #expect(Tokenizer.tokens("").isEmpty)
    #expect(Tokenizer.tokens(" ... <br /> '' !").isEmpty)
  }
}
