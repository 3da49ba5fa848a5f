#if canImport(Glibc)
import Glibc
#endif
import DLXShell

/// One Jupyter message (protocol 5.3): the routing identities, then `<IDS|MSG>`, the signature, the
/// header, parent header, metadata and content as JSON, and any binary buffers.
struct Message {
    var identities: [[UInt8]] = []
    var header: JSON
    var parent: JSON = .object([])
    var metadata: JSON = .object([])
    var content: JSON
    var buffers: [[UInt8]] = []

    static let delimiter = Array("<IDS|MSG>".utf8)
    static let protocolVersion = "5.3"

    var type: String { header["msg_type"]?.stringValue ?? "" }
    var id: String { header["msg_id"]?.stringValue ?? "" }

    /// Why a message off the wire was refused.
    enum Refusal: Error, CustomStringConvertible {
        case noDelimiter, tooFewFrames, badSignature, badJSON(String), noType
        var description: String {
            switch self {
            case .noDelimiter: return "no <IDS|MSG> delimiter"
            case .tooFewFrames: return "fewer than the five frames a message needs"
            case .badSignature: return "bad signature"
            case .badJSON(let part): return "the \(part) is not a JSON object"
            case .noType: return "the header has no msg_type"
            }
        }
    }

    /// Reads a message from its frames, checking its signature before anything else is looked at.
    static func parse(_ frames: [[UInt8]], signer: Signer) throws(Refusal) -> Message {
        guard let split = frames.firstIndex(of: delimiter) else { throw .noDelimiter }
        guard frames.count >= split + 6 else { throw .tooFewFrames }
        let parts = Array(frames[(split + 2)..<(split + 6)])
        guard signer.verify(frames[split + 1], parts) else { throw .badSignature }
        func object(_ bytes: [UInt8], _ name: String) throws(Refusal) -> JSON {
            guard let v = JSON.parse(String(decoding: bytes, as: UTF8.self)), case .object = v else { throw .badJSON(name) }
            return v
        }
        let header = try object(parts[0], "header")
        guard header["msg_type"]?.stringValue != nil else { throw .noType }
        return Message(identities: Array(frames[..<split]), header: header, parent: try object(parts[1], "parent header"),
                       metadata: try object(parts[2], "metadata"), content: try object(parts[3], "content"),
                       buffers: Array(frames[(split + 6)...]))
    }

    /// The frames to send, signed.
    func frames(signer: Signer) -> [[UInt8]] {
        let parts = [header, parent, metadata, content].map { Array($0.text().utf8) }
        return identities + [Message.delimiter, Array(signer.sign(parts).utf8)] + parts + buffers
    }

    /// A new message of `type` from the kernel's `session`, in reply to (or caused by) `parent`.
    static func make(_ type: String, _ content: JSON, parent: Message?, session: String,
                     identities: [[UInt8]] = [], metadata: JSON = .object([])) -> Message {
        let header = JSON.object([("msg_id", .string(Signer.uuid())), ("session", .string(session)), ("username", .string("dlx")),
                                  ("date", .string(timestamp())), ("msg_type", .string(type)),
                                  ("version", .string(protocolVersion))])
        return Message(identities: identities, header: header, parent: parent?.header ?? .object([]), metadata: metadata,
                       content: content)
    }

    /// The time now as ISO 8601 in UTC with microseconds, as Jupyter dates its messages.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var t = tm()
        gmtime_r(&seconds, &t)
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: Swift.max(0, width - s.count)) + s
        }
        return "\(pad(Int(t.tm_year) + 1900, 4))-\(pad(Int(t.tm_mon) + 1, 2))-\(pad(Int(t.tm_mday), 2))T"
            + "\(pad(Int(t.tm_hour), 2)):\(pad(Int(t.tm_min), 2)):\(pad(Int(t.tm_sec), 2)).\(pad(Int(now.tv_nsec) / 1000, 6))Z"
    }
}

extension JSON {
    var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
    var objectPairs: [(String, JSON)]? { if case .object(let p) = self { return p }; return nil }
}
