import Foundation
import Testing

@testable import BackupSimAnalysis

// Issue 13 item 10: an unclosed `${` is literal text, and finding that out is linear in the
// pattern (each `${` used to scan to the end of the pattern on every policy check).
@Suite struct PolicyVariableTokenTests {
  @Test func unclosedVariablesAreLiteralAndLinear() {
    let pattern = "arn:aws:s3:::b/" + String(repeating: "${", count: 100_000)
    let clock = ContinuousClock()
    let elapsed = clock.measure {
      let tokens = Glob.tokenize(pattern, variables: ["aws:username": ["alice"]])
      #expect(tokens?.count == pattern.count)
      #expect(Glob.substitute(pattern, variables: ["aws:username": ["alice"]]) == pattern)
    }
    // Quadratic, this was 10^10 character steps (minutes); linear it is a fraction of a second.
    #expect(elapsed < .seconds(10), "\(elapsed)")
  }

  @Test func closedVariablesBeforeAnUnclosedOneAreStillResolved() {
    let vars = ["aws:username": ["alice"]]
    #expect(Glob.substitute("home/${aws:username}/${x", variables: vars) == "home/alice/${x")
    #expect(ARNPattern.matches("arn:aws:s3:::b/${aws:username}/${", "arn:aws:s3:::b/alice/${", variables: vars))
  }
}
