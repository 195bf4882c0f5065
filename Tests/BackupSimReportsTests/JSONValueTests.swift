import Foundation
import Testing

@testable import BackupSimReports

/// The JSON writer: layout, key order and string escapes, byte for byte.
@Suite struct JSONValueTests {
  let document = JSONValue.object([
    "b": .array([.int(1), .bool(true), .null, .array([]), .object([:])]),
    "a": .string("plain"),
    "é": .number("0.5"),
    "Z": .object(["k": .string("v")]),
  ])

  @Test func prettyLayoutSortsKeysByTheirBytes() {
    // "Z" (0x5A) < "a" < "b" < "é" (0xC3 0xA9): byte order, not alphabetical or locale order.
    #expect(
      document.rendered() == """
        {
          "Z": {
            "k": "v"
          },
          "a": "plain",
          "b": [
            1,
            true,
            null,
            [],
            {}
          ],
          "é": 0.5
        }

        """)
    #expect(document.compact() == #"{"Z":{"k":"v"},"a":"plain","b":[1,true,null,[],{}],"é":0.5}"#)
  }

  @Test func stringsAreEscapedWhereJSONAndJavaScriptNeedIt() throws {
    let text = "q\"b\\n\nr\rt\t\u{01}\u{1F}é😀\u{2028}\u{2029}\u{2027}"
    let written = JSONValue.string(text).compact()
    #expect(written == #""q\"b\\n\nr\rt\t\u0001\u001fé😀\u2028\u2029\#u{2027}""#)
    // Read back by an independent parser, the text is the same.
    let back = try JSONSerialization.jsonObject(with: Data(written.utf8), options: .fragmentsAllowed) as? String
    #expect(back == text)
    // Escapes at both ends and nothing between them; plain text alone.
    #expect(JSONValue.string("\"\u{2028}").compact() == #""\"\u2028""#)
    #expect(JSONValue.string("").compact() == #""""#)
    #expect(JSONValue.string("plain").compact() == #""plain""#)
    // Keys take the same escapes.
    #expect(JSONValue.object([text: .null]).compact() == "{" + written + ":null}")
  }
}
