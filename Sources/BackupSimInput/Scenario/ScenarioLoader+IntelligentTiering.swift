import BackupSimModel

extension ScenarioLoader {
  /// Refuses an Intelligent-Tiering configuration whose `Prefix` tells apart the keys one run of a job writes.
  ///
  /// Keys a run writes with `{i}` share one history in the simulation, and so one access-tier schedule; a Prefix
  /// that ends inside the `{i}` part would give them different ones.
  static func checkTieringPrefixes(_ bucketNode: ConfigNode?, jobs: [UploadJob], start: SimTime, reader: inout NodeReader) {
    for config in bucketNode?["intelligentTiering"]?.items ?? [] {
      let filter = config["Filter"]
      guard let node = filter?["Prefix"] ?? filter?["And"]?["Prefix"], let prefix = node.scalar else { continue }
      for job in jobs where job.key.hasIndex {
        let pattern = job.key.pattern(at: start, run: 1)
        guard let cut = pattern.range(of: "{i}") else { continue }
        let before = String(pattern[..<cut.lowerBound])
        if prefix.count > before.count && prefix.hasPrefix(before) {
          reader.fail(
            "this Prefix tells apart keys that one run of job '\(job.name)' writes ('\(pattern)'); backupsim gives them one "
              + "Intelligent-Tiering schedule, so use a Prefix that ends before '{i}'", at: node, key: "Prefix")
        }
      }
    }
  }
}
