// TEMPORARY stand-in until the XML reader lands (helper replaces this file).
public enum XMLConfigParser {
  public static func parse(_ text: String, file: String) throws(ScenarioError) -> ConfigNode {
    throw ScenarioError(.syntax, "XML not supported yet", at: SourceLocation(file: file, line: 1, column: 1))
  }
}
