import BackupSimInput
import BackupSimModel
import Foundation
import Testing

/// `backupsim import` from AWS CLI outputs and an inventory, then `validate` and `run` on what it wrote.
@Suite struct ImportCLITests {
  /// What the AWS CLI prints, as in docs/s3-rules.md §7.2.
  static let awsOutputs: [String: String] = [
    "versioning.json": #"{ "Status": "Enabled", "MFADelete": "Disabled" }"#,
    "lifecycle.json": """
    {
      "TransitionDefaultMinimumObjectSize": "all_storage_classes_128K",
      "Rules": [
        { "ID": "photos", "Filter": { "Prefix": "Fotos Übersicht/" }, "Status": "Enabled",
          "Transitions": [ { "Days": 30, "StorageClass": "STANDARD_IA" }, { "Days": 90, "StorageClass": "GLACIER" } ],
          "NoncurrentVersionExpiration": { "NoncurrentDays": 30 } },
        { "ID": "db", "Filter": { "Prefix": "db/" }, "Status": "Enabled", "NoncurrentVersionExpiration": { "NoncurrentDays": 60 } }
      ]
    }
    """,
    "object-lock.json":
      #"{ "ObjectLockConfiguration": { "ObjectLockEnabled": "Enabled", "Rule": { "DefaultRetention": { "Mode": "GOVERNANCE", "Days": 7 } } } }"#,
    "bucket-policy.json":
      #"{ "Policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"NoDelete\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:DeleteObjectVersion\",\"Resource\":\"arn:aws:s3:::photo-backups/*\"}]}" }"#,
    "user-policy.json": """
    { "UserName": "backup-writer", "PolicyName": "put-only",
      "PolicyDocument": { "Version": "2012-10-17",
        "Statement": [ { "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::photo-backups/*" } ] } }
    """,
  ]

  @Test func importThenValidateThenRun() throws {
    try withTempDir { tmp in
      var args = ["import"]
      for (name, text) in Self.awsOutputs.sorted(by: { $0.key < $1.key }) { args.append(try tmp.write("aws/\(name)", text)) }
      let synthetic = SyntheticInventory(rows: 3_000, files: 2)
      args.append(try synthetic.write(to: tmp.file("inventory").path))
      args += ["--out", tmp.file("scenario.yaml").path]
      let r = try Backupsim.run(args, in: tmp.url)
      #expect(r.status == 0, "\(r)")
      let yaml = try String(contentsOf: tmp.file("scenario.yaml"), encoding: .utf8)
      #expect(yaml.contains("versioning: Enabled"))
      #expect(yaml.contains("objectLock: { mode: GOVERNANCE, days: 7 }"))
      #expect(yaml.contains(#"inventory: "inventory/photo-backups/all-versions/2027-01-01T01-00Z/manifest.json""#))
      // The dated photo keys: {date} and {i}, 7 a day; the overwritten db key stays fixed.
      #expect(yaml.contains(#"key: "Fotos Übersicht/{date}/IMG {i}.jpg""#))
      #expect(yaml.contains("objects: 7"))
      #expect(yaml.contains(#"key: "db/backup.sql.gz""#))
      #expect(yaml.contains(#"schedule: "daily at 02:00""#))
      #expect(yaml.contains(#"schedule: "daily at 03:00""#))
      #expect(yaml.contains("# inferred from 2555 keys on 365 dates (2026-01-01 … 2026-12-31): 1 run a day, 7 objects per run (median)"))
      #expect(yaml.contains("# inferred from 61 versions of one key, overwritten: 1 run a day"))

      let v = try Backupsim.run(["validate", "scenario.yaml"], in: tmp.url)
      #expect(v.status == 0, "\(v)\n\(yaml)")
      let run = try Backupsim.run(["run", "scenario.yaml", "--formats", "json,md", "--out", "reports"], in: tmp.url, timeout: 120)
      #expect(run.status == 0, "\(run)")
      let md = try String(contentsOf: tmp.file("reports/scenario/report.md"), encoding: .utf8)
      #expect(md.contains("## Starting state"))
      #expect(md.contains("The inventory does not say when a version entered its storage class"))
      let json = try String(contentsOf: tmp.file("reports/scenario/result.json"), encoding: .utf8)
      #expect(json.contains("\"startingState\""))
    }
  }

  @Test func anUnknownShapeIsOneLocatedError() throws {
    try withTempDir { tmp in
      let f = try tmp.write("x.json", #"{ "Buckets": [] }"#)
      let r = try Backupsim.run(["import", f], in: tmp.url)
      #expect(r.status == 2)
      #expect(r.errLines.count == 1 && r.errLines[0].hasPrefix("\(f):1:1: error: not an AWS CLI output backupsim knows (top-level keys: Buckets)"))
    }
  }

  /// A truncated data file: exit 2, one located line, no report written.
  @Test func aTruncatedInventoryWritesNothing() throws {
    try withTempDir { tmp in
      let synthetic = SyntheticInventory(rows: 2_000, files: 1)
      let manifest = try synthetic.write(to: tmp.file("inventory").path)
      try tmp.write("s.yaml", synthetic.scenario(inventory: "inventory/photo-backups/all-versions", duration: "1 month"))
      let data = tmp.file("inventory/photo-backups/all-versions/data")
      let name = try #require(FileManager.default.contentsOfDirectory(atPath: data.path).first)
      let bytes = try Data(contentsOf: data.appendingPathComponent(name))
      try bytes.prefix(bytes.count / 2).write(to: data.appendingPathComponent(name))
      let r = try Backupsim.run(["run", "s.yaml", "--out", "reports"], in: tmp.url)
      #expect(r.status == 2, "\(r)")
      #expect(r.errLines.count == 1 && r.errLines[0].contains("error: inventory data file: the gzip data ends early"), "\(r)")
      #expect(!FileManager.default.fileExists(atPath: tmp.file("reports").path))
      _ = manifest
    }
  }
}
