import BackupSimModel
import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Turns an S3 XML configuration document into the `ConfigNode` shape its JSON form has.
///
/// S3 repeats an element where the JSON (as the AWS CLI prints it) has a plural list
/// (docs/s3-rules.md §7.2): `<Rule>` → `Rules`, `<Transition>` → `Transitions`,
/// `<NoncurrentVersionTransition>` → `NoncurrentVersionTransitions`, and `<Tag>` inside `<And>` → `Tags`.
/// Those always become lists, even with one element. The root element is unwrapped: the result of
/// `<LifecycleConfiguration><Rule>…</Rule></LifecycleConfiguration>` is `{Rules: [...]}`.
///
/// Text becomes an unquoted scalar (as a plain YAML value, so `<Days>30</Days>` reads as a number),
/// without surrounding whitespace that spans a line break; an element with no text, or only
/// whitespace, becomes null (`<Prefix></Prefix>`, `<Filter/>`).
/// Attributes (`xmlns`) are ignored. Every node is located: an element (and its key) at its `<`,
/// a text value at its first non-blank character. Malformed XML, a repeated element that is not a
/// list, and text mixed with elements are each reported as one located `.syntax` error.
public enum XMLConfigParser {
  /// Repeated child elements that form a list in the JSON shape: parent → (element → list name).
  static let lists: [String: [String: String]] = [
    "LifecycleConfiguration": ["Rule": "Rules"],
    "Rule": ["Transition": "Transitions", "NoncurrentVersionTransition": "NoncurrentVersionTransitions"],
    "And": ["Tag": "Tags"],
  ]

  /// Deepest element nesting read, as libyaml stops YAML and JSON at 1,000 levels: a deeper tree
  /// (50,000 levels fit in 350 KB) would overflow the stack when it is freed.
  ///
  /// Lifecycle documents need 6.
  static let maxDepth = 1_000

  /// Parses `text` (the contents of `file`, which is only used in locations).
  public static func parse(_ text: String, file: String) throws(ScenarioError) -> ConfigNode {
    try checkProlog(text, file: file)
    let builder = XMLTreeBuilder(text: text, file: file)
    let parser = XMLParser(data: Data(text.utf8))
    parser.shouldProcessNamespaces = false
    parser.shouldResolveExternalEntities = false
    parser.delegate = builder
    _ = parser.parse()
    if let error = builder.error { throw error }
    guard let root = builder.root else {
      throw ScenarioError(.syntax, "invalid XML: the document has no root element", at: SourceLocation(file: file, line: 1, column: 1))
    }
    return root
  }
}

extension XMLConfigParser {
  /// Checks what libxml2 must not decide on its own, before it sees the document: the encoding, DTDs
  /// and processing instructions.
  ///
  /// S3 takes UTF-8 documents and refuses DTDs (issue 13). `text` is already UTF-8 (a Swift
  /// string), so an XML declaration naming another encoding is refused: libxml2 would re-decode the
  /// bytes (UTF-32 or EBCDIC over UTF-8 text crashes it). U+0000 is refused too: it is never allowed in
  /// XML, and leading NULs would make libxml2 guess UTF-16 or UTF-32. A DOCTYPE is refused because its
  /// entities would be expanded or, when unsupported, silently dropped (`<Prefix>&archive;</Prefix>`
  /// read as the empty prefix); with no DOCTYPE, every entity but the five predefined ones is an error.
  static func checkProlog(_ text: String, file: String) throws(ScenarioError) {
    let scalars = Array(text.unicodeScalars)
    var i = 0, line = 1, column = 1
    func here() -> SourceLocation { SourceLocation(file: file, line: line, column: column) }
    func advance(_ n: Int = 1) {
      for _ in 0..<n where i < scalars.count {
        if scalars[i] == "\n" { line += 1; column = 1 } else { column += 1 }
        i += 1
      }
    }
    func starts(_ s: String) -> Bool {
      let p = Array(s.unicodeScalars)
      return i + p.count <= scalars.count && Array(scalars[i..<(i + p.count)]) == p
    }
    /// Moves past `end`; false when the document ends first.
    func skip(past end: String) -> Bool {
      while i < scalars.count {
        if starts(end) { advance(end.unicodeScalars.count); return true }
        advance()
      }
      return false
    }
    func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\r" || c == "\n" }

    if let nul = scalars.firstIndex(of: "\0") {
      while i < nul { advance() }
      throw ScenarioError(.syntax, "invalid XML: the document contains a NUL character; S3 takes UTF-8 text", at: here())
    }
    if scalars.first == "\u{FEFF}" { advance() }  // a UTF-8 byte order mark
    // The prolog: the XML declaration, comments, processing instructions and a DOCTYPE may come before the root.
    while i < scalars.count {
      if isSpace(scalars[i]) {
        advance()
      } else if starts("<?xml"), i + 5 < scalars.count, isSpace(scalars[i + 5]) || scalars[i + 5] == "?" {
        advance(5)
        // The `encoding` pseudo-attribute: encoding S? = S? "name" (or 'name').
        var named: SourceLocation?
        var encoding: (value: String, at: SourceLocation)?
        while i < scalars.count, !starts("?>"), named == nil {
          guard starts("encoding"), isSpace(scalars[i - 1]) else { advance(); continue }
          named = here()
          advance(8)
          while i < scalars.count, isSpace(scalars[i]) { advance() }
          guard i < scalars.count, scalars[i] == "=" else { break }
          advance()
          while i < scalars.count, isSpace(scalars[i]) { advance() }
          guard i < scalars.count, scalars[i] == "\"" || scalars[i] == "'" else { break }
          let quote = scalars[i]
          advance()
          let at = here()
          var value = String.UnicodeScalarView()
          while i < scalars.count, scalars[i] != quote, !starts("?>") { value.append(scalars[i]); advance() }
          encoding = (String(value), at)
        }
        if let named, encoding == nil {
          throw ScenarioError(.syntax, "invalid XML: malformed encoding declaration; write encoding=\"UTF-8\"", at: named)
        }
        if let encoding, encoding.value.lowercased() != "utf-8" {
          throw ScenarioError(
            .syntax, "invalid XML: the document declares encoding '\(encoding.value)'; S3 takes UTF-8 only", at: encoding.at)
        }
        guard skip(past: "?>") else { return }
      } else if starts("<!--") {
        guard skip(past: "-->") else { return }
      } else if starts("<!DOCTYPE") {
        throw ScenarioError(
          .syntax, "invalid XML: DOCTYPE is not allowed (S3 refuses DTDs; write the values without entities)", at: here())
      } else if starts("<?") {
        throw processingInstruction(here())
      } else {
        break
      }
    }
    // The body: comments and CDATA may hold "<?" as text; anywhere else it starts an instruction.
    while i < scalars.count {
      if starts("<!--") {
        guard skip(past: "-->") else { return }
      } else if starts("<![CDATA[") {
        guard skip(past: "]]>") else { return }
      } else if starts("<?") {
        throw processingInstruction(here())
      } else {
        advance()
      }
    }
  }

  /// A lifecycle document has no processing instructions, and FoundationXML crashes on one without
  /// data (`<?i?>`, found by the fuzzer): refused before the parser sees it.
  static func processingInstruction(_ at: SourceLocation) -> ScenarioError {
    ScenarioError(.syntax, "invalid XML: processing instructions (<?…?>) are not allowed; only the XML declaration may start with <?", at: at)
  }
}

/// The `XMLParserDelegate` that assembles the tree; one per document.
private final class XMLTreeBuilder: NSObject, XMLParserDelegate {
  struct Child {
    var name: String
    var tagStart: SourceLocation
    var node: ConfigNode
  }

  struct Frame {
    var name: String
    var tagStart: SourceLocation
    var contentStart: (line: Int, column: Int)
    var children: [Child] = []
    var text = ""
  }

  let file: String
  /// The document's lines as Unicode scalars: XMLParser, like Yams, counts columns in characters.
  let lines: [[Unicode.Scalar]]
  var stack: [Frame] = []
  var root: ConfigNode?
  var error: ScenarioError?

  init(text: String, file: String) {
    self.file = file
    var lines: [[Unicode.Scalar]] = [[]]
    for scalar in text.unicodeScalars {
      if scalar == "\n" { lines.append([]) } else { lines[lines.count - 1].append(scalar) }
    }
    self.lines = lines
  }

  func location(_ p: (line: Int, column: Int)) -> SourceLocation {
    SourceLocation(file: file, line: p.line, column: p.column)
  }

  func scalar(at p: (line: Int, column: Int)) -> Unicode.Scalar? {
    guard p.line >= 1, p.line <= lines.count, p.column >= 1, p.column <= lines[p.line - 1].count else { return nil }
    return lines[p.line - 1][p.column - 1]
  }

  /// The `<` that opens the start tag the parser just read.
  ///
  /// XMLParser reports the position of the
  /// tag's last characters; '<' cannot occur inside a tag, so the nearest one before it is ours.
  func tagStart(reportedLine: Int, reportedColumn: Int) -> (line: Int, column: Int) {
    var line = min(max(reportedLine, 1), lines.count)
    var column = min(reportedColumn - 1, lines[line - 1].count)
    while line >= 1 {
      while column >= 1 {
        if lines[line - 1][column - 1] == "<" { return (line, column) }
        column -= 1
      }
      line -= 1
      if line >= 1 { column = lines[line - 1].count }
    }
    return (max(reportedLine, 1), max(reportedColumn, 1))
  }

  /// The position just after the `>` that closes the start tag at `start` (quoted attribute values skipped).
  func contentStart(after start: (line: Int, column: Int)) -> (line: Int, column: Int) {
    var p = start
    var quote: Unicode.Scalar?
    while p.line <= lines.count {
      let row = lines[p.line - 1]
      while p.column <= row.count {
        let c = row[p.column - 1]
        if let q = quote {
          if c == q { quote = nil }
        } else if c == "\"" || c == "'" {
          quote = c
        } else if c == ">" {
          return (p.line, p.column + 1)
        }
        p.column += 1
      }
      p = (p.line + 1, 1)
    }
    return start
  }

  /// The first non-blank character at or after `p` (or `p` itself when there is none).
  func firstNonBlank(from p: (line: Int, column: Int)) -> (line: Int, column: Int) {
    var q = p
    while q.line <= lines.count {
      let row = lines[q.line - 1]
      while q.column <= row.count {
        if !row[q.column - 1].properties.isWhitespace { return q }
        q.column += 1
      }
      q = (q.line + 1, 1)
    }
    return p
  }

  func fail(_ message: String, at location: SourceLocation, _ parser: XMLParser) {
    guard error == nil else { return }
    error = ScenarioError(.syntax, message, at: location)
    parser.abortParsing()
  }

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    guard error == nil else { return }
    if let top = stack.last, !top.text.allSatisfy(\.isWhitespace) {
      fail("invalid XML: <\(top.name)> mixes text with the element <\(elementName)>", at: top.tagStart, parser)
      return
    }
    let start = tagStart(reportedLine: parser.lineNumber, reportedColumn: parser.columnNumber)
    guard stack.count < XMLConfigParser.maxDepth else {
      fail("invalid XML: elements nested more than \(XMLConfigParser.maxDepth) levels deep", at: location(start), parser)
      return
    }
    stack.append(Frame(name: elementName, tagStart: location(start), contentStart: contentStart(after: start)))
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    guard error == nil, !stack.isEmpty else { return }
    stack[stack.count - 1].text += string
  }

  func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
    guard error == nil, !stack.isEmpty else { return }
    stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
  }

  func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
    guard error == nil, let frame = stack.popLast() else { return }
    let node: ConfigNode
    if frame.children.isEmpty {
      if frame.text.allSatisfy(\.isWhitespace) {
        node = ConfigNode(.null, at: frame.tagStart)
      } else {
        node = ConfigNode(.scalar(Self.layoutTrimmed(frame.text), quoted: false), at: location(firstNonBlank(from: frame.contentStart)))
      }
    } else {
      if !frame.text.allSatisfy(\.isWhitespace) {
        fail("invalid XML: <\(frame.name)> mixes text with elements", at: frame.tagStart, parser)
        return
      }
      guard let mapping = mapping(of: frame, parser) else { return }
      node = mapping
    }
    if stack.isEmpty {
      // S3 reads only this root (PutBucketLifecycleConfiguration's request body); another one, such
      // as the SDKs' <BucketLifecycleConfiguration>, would otherwise read as an unknown key 'Rule'.
      guard frame.name == "LifecycleConfiguration" else {
        fail("invalid XML: the root element must be <LifecycleConfiguration>, not <\(frame.name)>", at: frame.tagStart, parser)
        return
      }
      root = node
    } else {
      stack[stack.count - 1].children.append(Child(name: frame.name, tagStart: frame.tagStart, node: node))
    }
  }

  /// The text without leading or trailing whitespace that spans a line break (indentation of
  /// `<Days>\n  30\n</Days>`); whitespace within one line is kept, as a prefix may contain it.
  static func layoutTrimmed(_ text: String) -> String {
    var s = Substring(text)
    let leading = s.prefix(while: \.isWhitespace)
    if leading.contains(where: \.isNewline) { s = s.dropFirst(leading.count) }
    let trailing = s.reversed().prefix(while: \.isWhitespace)
    if trailing.contains(where: \.isNewline) { s = s.dropLast(trailing.count) }
    return String(s)
  }

  /// The children as a mapping in document order, list elements gathered under their plural name.
  func mapping(of frame: Frame, _ parser: XMLParser) -> ConfigNode? {
    let listNames = XMLConfigParser.lists[frame.name] ?? [:]
    var entries: [(key: ConfigNode, value: ConfigNode)] = []
    var listIndex: [String: Int] = [:]
    var items: [String: [ConfigNode]] = [:]
    var seen: Set<String> = []
    for child in frame.children {
      if let listName = listNames[child.name] {
        if listIndex[listName] == nil {
          guard seen.insert(listName).inserted else {
            fail("invalid XML: <\(child.name)> and <\(listName)> both appear in <\(frame.name)>", at: child.tagStart, parser)
            return nil
          }
          listIndex[listName] = entries.count
          entries.append((ConfigNode(.scalar(listName, quoted: false), at: child.tagStart), ConfigNode(.null, at: child.tagStart)))
        }
        items[listName, default: []].append(child.node)
      } else {
        guard seen.insert(child.name).inserted else {
          fail("invalid XML: <\(child.name)> appears more than once in <\(frame.name)>", at: child.tagStart, parser)
          return nil
        }
        entries.append((ConfigNode(.scalar(child.name, quoted: false), at: child.tagStart), child.node))
      }
    }
    for (name, index) in listIndex {
      entries[index].value = ConfigNode(.sequence(items[name] ?? []), at: entries[index].key.location)
    }
    return ConfigNode(.mapping(entries), at: frame.tagStart)
  }

  func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
    guard error == nil else { return }
    let code = (parseError as NSError).code
    let here = SourceLocation(file: file, line: max(parser.lineNumber, 1), column: max(parser.columnNumber, 1))
    error = ScenarioError(.syntax, "invalid XML: \(Self.describe(code, open: stack.last?.name))", at: here)
    parser.abortParsing()
  }

  /// A readable text for the parser errors hand-edited documents run into.
  ///
  /// XMLParser passes on libxml2's `xmlParserErrors` numbers; swift-corelibs-foundation's
  /// `XMLParser.ErrorCode` cases do not line up with them, so the numbers are matched directly.
  static func describe(_ code: Int, open: String?) -> String {
    switch code {
    case 4: return "the document is empty"
    case 5, 77: return open.map { "the document ends inside <\($0)>" } ?? "the document ends too early"
    case 9: return "invalid character"
    case 14, 22, 23, 26, 89: return "bad entity reference (write '&' as '&amp;')"
    case 38: return "'<' inside an attribute value"
    case 39, 41, 42: return "bad attribute"
    case 68: return "element name expected"
    case 72: return "expected '<'"
    case 73: return "expected '>'"
    case 76: return open.map { "closing tag does not match <\($0)>" } ?? "closing tag does not match"
    case 85: return "elements are not properly nested"
    case 86: return "content after the root element"
    default: return "malformed document (libxml2 error \(code))"
    }
  }
}
