import Testing
@testable import DLXEngine

/// torchvision's image ops on tensors (hflip, rotate, resize) and the augmentations on batches; expected values
/// printed by torchvision with PyTorch 2.15.
@Suite struct ImageOpsTests {
    let image = try! Tensor.arange(0, 20, 1, dtype: .float32, on: backend).reshape([1, 4, 5])

    @Test func rotateFollowsTorchvisionsGridAndRounding() throws {
        #expect(try ImageOps.rotate(image, degrees: 30).doubles() == [0, 2, 3, 9, 9, 1, 6, 7, 13, 14, 5, 6, 12, 13, 18, 10, 10, 16, 17, 0])
    }

    @Test func resizeIsTorchvisionsAntialiasedBilinear() throws {
        #expect(try ImageOps.resize(image, height: 2, width: 3).doubles()
                == [4.0, 5.5714287757873535, 7.142857074737549, 11.85714340209961, 13.428570747375488, 15.0])
        let square = try Tensor.arange(0, 16, 1, dtype: .float32, on: backend).reshape([1, 4, 4])
        #expect(try ImageOps.resize(square, height: 3, width: 3).doubles()
                == [1.5000001192092896, 2.700000047683716, 3.9000000953674316, 6.300000190734863, 7.5, 8.699999809265137,
                    11.100000381469727, 12.300000190734863, 13.5])
        #expect(try Array(ImageOps.resize(image, height: 8, width: 10).doubles().prefix(10)) == [0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3.25, 3.75, 4])
        #expect(try ImageOps.resize(image, height: 2, width: 2, antialias: false).doubles() == [3.25, 5.75, 13.25, 15.75])
        #expect(try ImageOps.resizedSize(height: 4, width: 5, size: [2]) == (2, 2))
        #expect(try ImageOps.resizedSize(height: 28, width: 56, size: [14]) == (14, 28))
    }

    @Test func batchesAreTransformedAlike() throws {
        let batch = try image.reshape([1, 1, 4, 5]).expand(to: [3, 1, 4, 5]).contiguous()
        var g = Generator(seed: 1)
        let flipped = try RandomHorizontalFlip(p: 1).apply(batch, generator: &g)
        #expect(flipped.shape == [3, 1, 4, 5])
        #expect(try Array(flipped.doubles().prefix(5)) == [4, 3, 2, 1, 0])
        #expect(try RandomResizedCrop(size: (2, 2)).apply(batch, generator: &g).shape == [3, 1, 2, 2])
        #expect(try ImageOps.hflip(try longs([0, 1, 2, 3], [2, 2])).int64s() == [1, 0, 3, 2])
    }
}
