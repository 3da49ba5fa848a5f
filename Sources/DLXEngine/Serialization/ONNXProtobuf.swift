/// The part of protocol buffers' wire format an ONNX file needs (varints, length-delimited fields,
/// 32-bit floats), and the ONNX messages dlx writes with their field numbers from onnx.proto:
/// ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto (TypeProto.Tensor,
/// TensorShapeProto) and OperatorSetIdProto. Repeated numbers are written unpacked, as proto2 files
/// (onnx.proto is one) are written by default; readers accept both forms.
struct ProtoWriter {
    private(set) var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    private mutating func key(_ field: Int, _ wireType: UInt64) { varint(UInt64(field) << 3 | wireType) }

    /// An int32/int64 field (negative numbers as ten-byte two's complement, as protobuf writes them).
    mutating func int(_ field: Int, _ value: Int) {
        key(field, 0)
        varint(UInt64(bitPattern: Int64(value)))
    }

    mutating func float(_ field: Int, _ value: Float) {
        key(field, 5)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func data(_ field: Int, _ raw: UnsafeRawBufferPointer) {
        key(field, 2)
        varint(UInt64(raw.count))
        bytes.append(contentsOf: raw)
    }

    mutating func string(_ field: Int, _ s: String) {
        var s = s
        s.withUTF8 { data(field, UnsafeRawBufferPointer($0)) }
    }

    /// A sub-message, written by `body`.
    mutating func message(_ field: Int, _ body: (inout ProtoWriter) -> Void) {
        var inner = ProtoWriter()
        body(&inner)
        inner.bytes.withUnsafeBytes { data(field, $0) }
    }
}

/// An ONNX graph as dlx builds it, ready to encode.
public struct ONNXGraph {
    public enum Attribute {
        case int(Int), ints([Int]), float(Float)
    }

    public struct Node {
        public var opType: String
        public var name: String
        public var inputs: [String]
        public var outputs: [String]
        /// In the order given (written sorted by name, as PyTorch's exporter writes them).
        public var attributes: [(String, Attribute)]
    }

    /// A graph input or output: its element type and its dimensions (a number, or a name for a dynamic axis).
    public struct ValueInfo {
        public var name: String
        public var dtype: DType
        public var dims: [Either]
        public enum Either { case value(Int), param(String) }
    }

    public var name = "main_graph"
    public var nodes: [Node] = []
    /// Initializers: the name and the tensor (on the host, any layout; written contiguous).
    public var initializers: [(String, Tensor)] = []
    public var inputs: [ValueInfo] = []
    public var outputs: [ValueInfo] = []

    /// TensorProto.DataType.
    static func elementType(_ d: DType) -> Int {
        switch d {
        case .float32: return 1
        case .uint8: return 2
        case .int32: return 6
        case .int64: return 7
        case .bool: return 9
        case .float64: return 11
        }
    }

    /// The ModelProto's bytes.
    public func encode(irVersion: Int, opset: Int, producerVersion: String) throws(TensorError) -> [UInt8] {
        // Initializers' data, contiguous on the host, made before anything is written.
        let data = try initializers.map { (n, t) throws(TensorError) in (n, try t.onHost().contiguous()) }
        var model = ProtoWriter()
        model.int(1, irVersion)
        model.string(2, "dlx")
        model.string(3, producerVersion)
        model.message(7) { g in
            for node in nodes { g.message(1) { ONNXGraph.encode(node, &$0) } }
            g.string(2, name)
            for (name, t) in data {
                g.message(5) { tp in
                    for d in t.shape { tp.int(1, d) }
                    tp.int(2, ONNXGraph.elementType(t.dtype))
                    tp.string(8, name)
                    tp.data(9, UnsafeRawBufferPointer(start: t.storage.pointer + t.offset * t.dtype.itemSize, count: t.count * t.dtype.itemSize))
                }
            }
            for v in inputs { g.message(11) { ONNXGraph.encode(v, &$0) } }
            for v in outputs { g.message(12) { ONNXGraph.encode(v, &$0) } }
        }
        model.message(8) { $0.int(2, opset) }   // the default domain ("ai.onnx"), left empty as exporters write it
        withExtendedLifetime(data) {}
        return model.bytes
    }

    private static func encode(_ node: Node, _ w: inout ProtoWriter) {
        for i in node.inputs { w.string(1, i) }
        for o in node.outputs { w.string(2, o) }
        w.string(3, node.name)
        w.string(4, node.opType)
        for (name, value) in node.attributes.sorted(by: { $0.0 < $1.0 }) {
            w.message(5) { a in
                a.string(1, name)
                switch value {
                case .float(let f): a.float(2, f); a.int(20, 1)
                case .int(let i): a.int(3, i); a.int(20, 2)
                case .ints(let list): for i in list { a.int(8, i) }; a.int(20, 7)
                }
            }
        }
    }

    private static func encode(_ v: ValueInfo, _ w: inout ProtoWriter) {
        w.string(1, v.name)
        w.message(2) { type in
            type.message(1) { tensor in
                tensor.int(1, elementType(v.dtype))
                tensor.message(2) { shape in
                    for d in v.dims {
                        shape.message(1) { dim in
                            switch d {
                            case .value(let n): dim.int(1, n)
                            case .param(let p): dim.string(2, p)
                            }
                        }
                    }
                }
            }
        }
    }
}
