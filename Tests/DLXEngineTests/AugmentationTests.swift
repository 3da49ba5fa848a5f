import Testing
import Foundation
@testable import DLXEngine

@Suite struct AugmentationTests {
    let image: Tensor = try! Tensor.arange(0, 12, 1, dtype: .float32, on: backend).reshape([1, 3, 4]).scaled(1.0 / 12)

    @Test func horizontalFlipMirrorsRowsOrLeavesTheImage() throws {
        var g = Generator(seed: 0)
        let always = try RandomHorizontalFlip(p: 1).apply(image, generator: &g)
        #expect(try always.doubles().map { Int(($0 * 12).rounded()) } == [3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8])
        #expect(try RandomHorizontalFlip(p: 0).apply(image, generator: &g) === image)
    }

    @Test func rotationByZeroDegreesIsTheIdentityAndBy180Reverses() throws {
        var g = Generator(seed: 0)
        #expect(try RandomRotation(degrees: (0, 0)).apply(image, generator: &g).doubles() == image.doubles())
        let square = try Tensor.arange(0, 9, 1, dtype: .float32, on: backend).reshape([1, 3, 3])
        #expect(try RandomRotation(degrees: (180, 180)).apply(square, generator: &g).doubles() == square.doubles().reversed())
    }

    @Test func resizedCropKeepsTheSizeAndTheRange() throws {
        var g = Generator(seed: 5)
        let crop = RandomResizedCrop(size: (8, 6), scale: (0.5, 1), ratio: (0.75, 1.33))
        for _ in 0..<20 {
            let out = try crop.apply(image, generator: &g)
            #expect(out.shape == [1, 8, 6])
            #expect(try out.doubles().allSatisfy { $0 >= 0 && $0 <= 11.0 / 12 + 1e-6 })
        }
        #expect(crop.repr == "RandomResizedCrop(size=(8, 6), scale=(0.5, 1.0), ratio=(0.75, 1.33), interpolation=bilinear, antialias=True)")
    }

    @Test func colorJitterStaysInTheUnitRangeAndIsSeeded() throws {
        let jitter = ColorJitter(brightness: 0.5, contrast: 0.5)
        var g1 = Generator(seed: 9), g2 = Generator(seed: 9)
        let a = try jitter.apply(image, generator: &g1), b = try jitter.apply(image, generator: &g2)
        #expect(try a.doubles() == b.doubles())
        #expect(try a.doubles().allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test func integerImagesAreRefusedWithAHint() throws {
        var g = Generator(seed: 0)
        let raw = try Tensor.zeros([4, 4], dtype: .uint8, on: backend)
        #expect(throws: TensorError.self) { try RandomHorizontalFlip(p: 1).apply(raw, generator: &g) }
    }
}

@Suite struct CSVTests {
    func write(_ text: String) -> String {
        let path = scratchFile(".csv")
        FileManager.default.createFile(atPath: path, contents: text.data(using: .utf8))
        return path
    }

    @Test func readsLabelsAndPixels() throws {
        let path = write("label,a,b,c,d\n3,0,255,12,7\r\n1,1,2,3,4\n\n")
        let d = try CSVImages.load(path, label: "label", shape: [1, 2, 2], on: backend)
        #expect(d.count == 2)
        #expect(try d.labels.int64s() == [3, 1])
        #expect(try d.images.int64s() == [0, 255, 12, 7, 1, 2, 3, 4])
    }

    @Test func badRowsNameTheFileLineAndColumn() throws {
        for (text, message) in [("label,a,b\n1,2,x\n", ":2:3: not a whole number"), ("label,a,b\n1,2,300\n", ":2:3: pixel value 300"),
                                ("label,a,b\n1,2\n", ":2:2: expected 3 columns"), ("x,a,b\n1,2,3\n", "no column named 'label'")] {
            let path = write(text)
            do { _ = try CSVImages.load(path, label: "label", shape: [1, 2], on: backend); Issue.record("no error for \(text)") } catch {
                #expect(error.message.contains(message), "\(error.message)")
            }
        }
    }
}
