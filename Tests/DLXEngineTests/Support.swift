import Foundation
@_exported import TestSupport
@testable import DLXEngine

let backend = CPUBackend()

func tensor(_ values: [Float], _ shape: [Int]) throws -> Tensor { try Tensor.from(values, shape: shape, on: backend) }
func longs(_ values: [Int64], _ shape: [Int]) throws -> Tensor { try Tensor.from(values, shape: shape, on: backend) }

func randomTensor(_ shape: [Int], seed: UInt64) throws -> Tensor {
    var g = Generator(seed: seed)
    return try Tensor.randn(shape, generator: &g, on: backend)
}

func close(_ a: [Double], _ b: [Double], rel: Double = 1e-5, abs: Double = 1e-6) -> Bool {
    guard a.count == b.count else { return false }
    for (x, y) in zip(a, b) where Swift.abs(x - y) > abs + rel * Swift.abs(y) { return false }
    return true
}

/// One tensor of engine-fixtures.json as (shape, values).
func fixture(_ object: Any?) -> ([Int], [Float]) {
    let d = object as! [String: Any]
    return ((d["shape"] as! [Int]), (d["data"] as! [Double]).map(Float.init))
}

nonisolated(unsafe) let engineFixtures: [String: Any] = {
    let data = try! Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/Tests/Fixtures/engine-fixtures.json"))
    return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
}()
