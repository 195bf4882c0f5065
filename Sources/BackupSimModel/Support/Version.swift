/// The release this build is, printed by `backupsim --version`; change it here only.
public enum BackupSimVersion {
  public static let number = "0.1.0"
  public static let line = "backupsim \(number)"
}
