// The C math functions the model needs, under one name on every platform.
#if canImport(Glibc)
  import Glibc
  @inlinable package func _log(_ x: Double) -> Double { Glibc.log(x) }
  @inlinable package func _cos(_ x: Double) -> Double { Glibc.cos(x) }
  @inlinable package func _exp(_ x: Double) -> Double { Glibc.exp(x) }
  @inlinable package func _pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
#else
  import Foundation
  @inlinable package func _log(_ x: Double) -> Double { Foundation.log(x) }
  @inlinable package func _cos(_ x: Double) -> Double { Foundation.cos(x) }
  @inlinable package func _exp(_ x: Double) -> Double { Foundation.exp(x) }
  @inlinable package func _pow(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }
#endif
