import BackupSimModel
import Foundation

/// Writes a scenario from what the AWS CLI prints about a bucket, for the user to edit.
///
/// Each input is recognised by its shape: `get-bucket-versioning` (`Status`), `get-bucket-lifecycle-configuration`
/// (`Rules`), `get-object-lock-configuration` (`ObjectLockConfiguration`), `get-bucket-policy` (`Policy`,
/// a JSON string), `aws iam get-user-policy` (`PolicyDocument`) or `get-policy-version` (`PolicyVersion.Document`),
/// and an S3 Inventory `manifest.json` (`sourceBucket`, `fileSchema`). From an inventory it infers the
/// upload jobs (see `UploadInference`) and refers to the report as the starting state.
public enum ScenarioImport {
  /// One input file, as read.
  public struct Input: Sendable {
    public var path: String
    public var text: String
    public init(path: String, text: String) {
      self.path = path
      self.text = text
    }
  }

  /// The scenario's YAML text; `output` is where it will be written (paths in it are relative to its folder).
  public static func scenario(from inputs: [Input], output: String) throws(ScenarioErrors) -> String {
    var errors: [ScenarioError] = []
    var versioning: String?
    var lifecycle: ConfigNode?
    var lock: (mode: String, days: Int)?
    var lockEnabled = false
    var bucketPolicy: ConfigNode?
    var tiering: [ConfigNode] = []
    var principals: [(name: String, policy: ConfigNode, from: String)] = []
    var inventory: (manifest: InventoryManifest, result: InventoryReader.Result)?
    var notes: [String] = []
    for input in inputs {
      let here = SourceLocation(file: input.path, line: 1, column: 1)
      let root: ConfigNode
      do { root = try JSONConfigParser.parse(input.text, file: input.path) } catch {
        errors.append(error)
        continue
      }
      if root.pairs?.isEmpty == true {
        versioning = "Disabled"  // get-bucket-versioning prints {} for a bucket never versioned
      } else if let s = root["Status"]?.scalar, root["Rules"] == nil {
        guard s == "Enabled" || s == "Suspended" else {
          errors.append(
            ScenarioError(.invalidValue(key: "Status"), "versioning 'Status' must be Enabled or Suspended, got '\(s)'", at: root["Status"]?.location))
          continue
        }
        versioning = s
      } else if root["Rules"] != nil {
        lifecycle = root
      } else if let c = root["ObjectLockConfiguration"] {
        lockEnabled = c["ObjectLockEnabled"]?.scalar == "Enabled"
        if let r = c["Rule"]?["DefaultRetention"], let mode = r["Mode"]?.scalar {
          if let d = r["Days"]?.scalar.flatMap({ Int($0) }) {
            lock = (mode, d)
          } else if let y = r["Years"]?.scalar.flatMap({ Int($0) }) {
            lock = (mode, y * 365)
            notes.append("Object Lock: \(y) years of default retention written as \(y * 365) days (the scenario counts days).")
          }
        }
      } else if let p = root["Policy"] {
        guard let text = p.scalar else {
          errors.append(ScenarioError(.invalidValue(key: "Policy"), "'Policy' must be the policy document as a string", at: p.location))
          continue
        }
        do { bucketPolicy = try JSONConfigParser.parse(text, file: input.path + " (Policy)") } catch { errors.append(error) }
      } else if let d = root["PolicyDocument"] {
        let name = root["UserName"]?.scalar ?? root["RoleName"]?.scalar ?? root["PolicyName"]?.scalar ?? "backup-writer"
        if let doc = policyDocument(d, errors: &errors) { principals.append((name, doc, input.path)) }
      } else if let v = root["PolicyVersion"], let d = v["Document"] {
        if let doc = policyDocument(d, errors: &errors) {
          principals.append((((input.path as NSString).lastPathComponent as NSString).deletingPathExtension, doc, input.path))
        }
      } else if root["sourceBucket"] != nil && root["fileSchema"] != nil {
        do {
          let m = try InventoryManifest.read(path: input.path, readFile: { _ in input.text })
          inventory = (m, try InventoryReader.read(m))
        } catch {
          errors.append(error)
        }
      } else if let one = root["IntelligentTieringConfiguration"] {
        tiering.append(one)  // get-bucket-intelligent-tiering-configuration
      } else if let list = root["IntelligentTieringConfigurationList"] {
        tiering += list.items ?? []  // list-bucket-intelligent-tiering-configurations
      } else {
        let keys = (root.pairs ?? []).compactMap { $0.key.scalar }.prefix(5).joined(separator: ", ")
        errors.append(
          ScenarioError(
            .syntax,
            "not an AWS CLI output backupsim knows (top-level keys: \(keys.isEmpty ? "none" : keys)); expected get-bucket-versioning, "
              + "get-bucket-lifecycle-configuration, get-object-lock-configuration, get-bucket-policy, iam get-user-policy, "
              + "iam get-policy-version or an S3 Inventory manifest.json",
            at: here))
      }
    }
    if !errors.isEmpty { throw ScenarioErrors(errors) }

    let bucketName = inventory?.manifest.sourceBucket ?? bucketFromPolicies([bucketPolicy].compactMap { $0 } + principals.map(\.policy)) ?? "backups"
    var y = "# Written by `backupsim import` from: \(inputs.map { ($0.path as NSString).lastPathComponent }.joined(separator: ", ")).\n"
    y += "# Check every inferred value (marked 'inferred') before trusting the figures.\n"
    y += "name: \(quoted("\(bucketName) as it is"))\n"
    y += "duration: 12 months\n"
    if inventory != nil { y += "# start: left out, so the simulation starts at the first 00:00 UTC after the inventory was taken.\n" }
    y += "bucket:\n  name: \(quoted(bucketName))\n"
    let v = versioning ?? (lockEnabled ? "Enabled" : nil)
    if let v {
      y += "  versioning: \(v)\n"
    } else {
      y += "  # versioning: no get-bucket-versioning output given; S3's default is never versioned\n"
    }
    if let lock {
      y += "  objectLock: { mode: \(lock.mode), days: \(lock.days) }\n"
    } else if lockEnabled {
      y += "  # Object Lock is enabled without a default retention: new versions are not locked\n"
    }
    for n in notes { y += "  # \(n)\n" }
    if let lifecycle { y += "  lifecycle: \(json(lifecycle, indent: 4))\n" }
    if let bucketPolicy { y += "  policy: \(json(bucketPolicy, indent: 4))\n" }
    if !tiering.isEmpty {
      y += "  intelligentTiering:\n"
      for t in tiering { y += "    - \(json(t, indent: 6))\n" }
    }
    if let inv = inventory {
      let folder = (output as NSString).deletingLastPathComponent
      y += "startingState:\n  inventory: \(quoted(relative(inv.manifest.path, to: folder)))\n"
      let jobs = UploadInference.infer(inv.result)
      y += "uploads:\n"
      if jobs.jobs.isEmpty {
        y += "  # nothing in the inventory looks like a repeated upload; describe your jobs here\n"
        y += "  - { name: backup, key: \"backup/{date}.tar\", schedule: daily at 02:00, size: 1 GiB }\n"
      }
      for j in jobs.jobs {
        y += "  # inferred from \(j.evidence)\n"
        y += "  - name: \(quoted(j.name))\n"
        y += "    key: \(quoted(j.key))\n"
        y += "    schedule: \(quoted(j.schedule))\n"
        if j.objects > 1 { y += "    objects: \(j.objects)\n" }
        y += "    size: \(j.size) B  # median \(Self.bytesText(j.size))\n"
        if let g = j.growth { y += "    growth: \(g)\n" }
        if j.storageClass != .standard { y += "    storageClass: \(j.storageClass.rawValue)\n" }
      }
      for s in jobs.skipped { y += "  # not a job: \(s)\n" }
    } else {
      y += "uploads:\n  # no inventory given: describe your backup jobs here\n"
      y += "  - { name: backup, key: \"backup/{date}.tar\", schedule: daily at 02:00, size: 1 GiB }\n"
    }
    if !principals.isEmpty {
      y += "principals:\n"
      var used: Set<String> = []
      for p in principals {
        var name = p.name
        while !used.insert(name).inserted { name += "-2" }
        y += "  # from \((p.from as NSString).lastPathComponent)\n"
        y += "  \(quoted(name)):\n    policy: \(json(p.policy, indent: 6))\n"
      }
    }
    return y
  }

  /// An IAM policy document, given as a JSON object or (as IAM returns it to some clients) a URL-encoded string.
  static func policyDocument(_ d: ConfigNode, errors: inout [ScenarioError]) -> ConfigNode? {
    if d.pairs != nil { return d }
    guard let s = d.scalar else {
      errors.append(ScenarioError(.invalidValue(key: "PolicyDocument"), "'PolicyDocument' must be a policy document", at: d.location))
      return nil
    }
    do { return try JSONConfigParser.parse(s.removingPercentEncoding ?? s, file: d.location.file) } catch {
      errors.append(error)
      return nil
    }
  }

  /// The bucket named by the first `arn:aws:s3:::BUCKET…` resource in the policies.
  static func bucketFromPolicies(_ docs: [ConfigNode]) -> String? {
    func scan(_ n: ConfigNode) -> String? {
      if let s = n.scalar, s.hasPrefix("arn:aws:s3:::") {
        let rest = s.dropFirst("arn:aws:s3:::".count)
        let name = rest.prefix { $0 != "/" && $0 != "*" }
        return name.isEmpty ? nil : String(name)
      }
      for c in (n.items ?? []) + (n.pairs ?? []).map(\.value) { if let b = scan(c) { return b } }
      return nil
    }
    for d in docs { if let b = scan(d) { return b } }
    return nil
  }

  /// A path as seen from `folder` (relative when both are, or both absolute under a common root).
  static func relative(_ path: String, to folder: String) -> String {
    let a = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
    let b = URL(fileURLWithPath: folder.isEmpty ? "." : folder).standardizedFileURL.pathComponents
    var k = 0
    while k < a.count && k < b.count && a[k] == b[k] { k += 1 }
    let up = Array(repeating: "..", count: b.count - k)
    return (up + a[k...]).joined(separator: "/")
  }

  /// A YAML double-quoted scalar (JSON's string syntax is a subset of it).
  static func quoted(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case _ where u.value < 0x20: out += String(format: "\\u%04X", u.value)
      default: out.unicodeScalars.append(u)
      }
    }
    return out + "\""
  }

  /// A node as JSON (valid YAML flow), its later lines indented by `indent` spaces.
  static func json(_ n: ConfigNode, indent: Int) -> String {
    let pad = String(repeating: " ", count: indent)
    switch n.kind {
    case .scalar(let s, let q):
      return q ? quoted(s) : s
    case .null:
      return "null"
    case .sequence(let items):
      if items.isEmpty { return "[]" }
      if items.allSatisfy({ $0.scalar != nil }) { return "[" + items.map { json($0, indent: 0) }.joined(separator: ", ") + "]" }
      return "[\n" + items.map { pad + "  " + json($0, indent: indent + 2) }.joined(separator: ",\n") + "\n\(pad)]"
    case .mapping(let pairs):
      if pairs.isEmpty { return "{}" }
      return "{\n" + pairs.map { pad + "  " + quoted($0.key.scalar ?? "") + ": " + json($0.value, indent: indent + 2) }.joined(separator: ",\n")
        + "\n\(pad)}"
    }
  }

  static func bytesText(_ b: Int64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var v = Double(b)
    var u = 0
    while v >= 1024 && u < units.count - 1 {
      v /= 1024
      u += 1
    }
    return u == 0 ? "\(b) B" : String(format: "%.1f %@", locale: Locale(identifier: "en_US_POSIX"), v, units[u])
  }
}
