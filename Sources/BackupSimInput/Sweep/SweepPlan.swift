import BackupSimModel
import Foundation

/// A sweep's scenario, read once, and its grid: everything needed to build any variant.
public struct SweepPlan: Sendable {
  public var path: String
  public var text: String
  public var tree: ConfigNode
  public var grid: SweepGrid
  /// `SweepGrid.fingerprint`: the rows of one grid share it, whichever shard wrote them.
  public var fingerprint: String
  /// Whether the scenario may name files outside its folder (`ScenarioLoader.allowOutsidePaths`).
  public var allowOutsidePaths = false

  /// Bad input, one printable line per problem, in the order found.
  public struct Problems: Error, Sendable {
    public var lines: [String]
  }

  /// The scenario file's text and tree, before any decoding, for a command that edits it first.
  public static func scenarioTree(_ path: String) throws(Problems) -> (text: String, tree: ConfigNode) {
    let text: String
    do {
      text = try UTF8File.read(path)
    } catch let e as ScenarioError {
      throw Problems(lines: [e.description])
    } catch let e as UnreadableFile where e.wrongKind {
      throw Problems(lines: ["\(path):1:1: error: \(e.said(of: "a scenario file"))"])
    } catch {
      throw Problems(lines: ["\(path):1:1: error: cannot read scenario: \(ScenarioLoader.describe(error))"])
    }
    do { return (text, try ConfigNode.parseYAML(text, file: path)) } catch { throw Problems(lines: [error.description]) }
  }

  /// Reads the scenario and the `--vary` axes and checks that every axis addresses the tree.
  public static func prepare(scenario path: String, vary: [String], allowOutsidePaths: Bool = false) throws(Problems) -> SweepPlan {
    let (text, tree) = try scenarioTree(path)
    var axes: [VaryAxis] = []
    var problems: [String] = []
    for v in vary {
      do { axes.append(try VaryAxis.parse(v)) } catch { problems.append("error: \(error)") }
    }
    if !problems.isEmpty { throw Problems(lines: problems) }
    let grid: SweepGrid
    do { grid = try SweepGrid(axes: axes) } catch { throw Problems(lines: ["error: \(error)"]) }
    // Every value of an axis goes to the same place, so one try per axis finds every path mistake.
    for (a, argument) in zip(axes, vary) {
      guard let v = a.values.first else { continue }
      do { _ = try ScenarioEdit.set(v.node, at: a.path, in: tree) } catch {
        problems.append("error: \(VaryError(argument, error.message))")
      }
    }
    if !problems.isEmpty { throw Problems(lines: problems) }
    return SweepPlan(
      path: path, text: text, tree: tree, grid: grid, fingerprint: grid.fingerprint(scenarioText: text), allowOutsidePaths: allowOutsidePaths)
  }

  /// The variants' scenarios and the warnings to print, each distinct one once.
  public struct Variants: Sendable {
    public var scenarios: [Scenario]
    public var warnings: [String]
  }

  /// Loads every variant before any runs, so a bad value is reported at once, not after an hour.
  ///
  /// Each distinct problem is reported once, with the first variant that has it.
  public func load(_ indices: [Int]) throws(Problems) -> Variants {
    var scenarios: [Scenario] = []
    var seen: Set<String> = []
    var lines: [String] = []
    var bad = false
    let loader = ScenarioLoader(allowOutsidePaths: allowOutsidePaths)
    for i in indices {
      let params = grid.parameters(at: i).map { "\($0.path)=\($0.value)" }.joined(separator: ", ")
      do {
        let loaded = try loader.load(node: try grid.tree(at: i, base: tree), file: path)
        for w in loaded.warnings where seen.insert(w.description).inserted {
          lines.append(Self.describe(w, kind: "warning", variant: i, params: params))
        }
        scenarios.append(loaded.scenario)
      } catch let e as ScenarioErrors {
        bad = true
        for err in e.errors where seen.insert(err.description).inserted {
          lines.append(Self.describe(err, kind: "error", variant: i, params: params))
        }
      } catch {
        bad = true
        if seen.insert("\(error)").inserted { lines.append("error: \(error)") }
      }
    }
    if bad { throw Problems(lines: lines) }
    return Variants(scenarios: scenarios, warnings: lines)
  }

  /// A value from `--vary` is named by its argument; a problem elsewhere by file:line:column and the variant.
  static func describe(_ e: ScenarioError, kind: String, variant: Int, params: String) -> String {
    if VaryAxis.isVaryLocation(e.location), let file = e.location?.file {
      return "\(kind): \(file): \(e.message)"
    }
    return "\(e.location.map { "\($0): " } ?? "")\(kind): \(e.message) (variant #\(variant): \(params))"
  }
}
