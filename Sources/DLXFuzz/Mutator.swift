/// Deterministic mutations of byte strings (a fixed seed gives the same inputs on every machine): bit flips,
/// byte changes, insertions and deletions, copies within the input, splices of two inputs, and tokens of the
/// language and of the file formats that random bytes rarely hit.
public struct Mutator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// SplitMix64.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

    static let tokens: [[UInt8]] = [
        "(", ")", "[", "]", "{", "}", ":", ",", ".", "\n", "\n    ", "    ", "\t", "\\", "'", "\"", "\"\"\"", "#", "=", "**", "//",
        "@", "->", "...", "lambda", "yield", "def ", "class ", "for ", "in ", "while ", "if ", "else:", "try:", "except",
        "finally:", "with ", "return ", "global ", "nonlocal ", "import ", "from ", "f\"{", "}\"", "{x=}", "!r", ":>10",
        "%", "%s", "%*d", "2**62", "2**63", "-2**63", "10**12", "1e308", "float('nan')", "float('inf')", "0", "-1",
        "[]", "()", "{}", "None", "True", "*", "torch.", "torch.zeros(", "torch.ones(2, 3)", "nn.Linear(2, 3)",
        ".view(-1)", ".expand(", ".sum(", ".backward()", ".tolist()", "[::-1]", "[0]", "len(", "str(", "repr(", "print(",
        "range(", "list(", "a.append(a)", "%run ", "%time ", "label", "\r\n", ",255", ",0", "\0", "\u{7f}", "\u{ff}",
        "\u{1F600}", "\u{200B}",
    ].map { Array($0.utf8) } + [
        [0, 0, 8, 1], [0, 0, 8, 3], [0, 0, 13, 2], [0xff, 0xff, 0xff, 0xff], [0x7f, 0xff, 0xff, 0xff], [0, 0, 0, 0],
        [0x1f, 0x8b, 8, 0], [0x80, 0, 0, 0],
    ]

    /// A mutation of `input`, sometimes spliced with `other`; at most `limit` bytes.
    public mutating func mutate(_ input: [UInt8], other: [UInt8], limit: Int = 1 << 16) -> [UInt8] {
        var out = input
        for _ in 0...below(4) {
            switch below(8) {
            case 0 where !out.isEmpty:   // flip a bit
                let k = below(out.count); out[k] ^= UInt8(1 << below(8))
            case 1 where !out.isEmpty:   // an interesting byte
                out[below(out.count)] = [0, 1, 0x7f, 0x80, 0xff, 0x0a, 0x20, 0x30][below(8)]
            case 2 where !out.isEmpty:   // delete a run
                let k = below(out.count), n = 1 + below(Swift.min(16, out.count - k))
                out.removeSubrange(k..<(k + n))
            case 3:   // insert a token
                out.insert(contentsOf: Mutator.tokens[below(Mutator.tokens.count)], at: below(out.count + 1))
            case 4 where !out.isEmpty:   // copy a run elsewhere
                let k = below(out.count), n = 1 + below(Swift.min(32, out.count - k))
                out.insert(contentsOf: Array(out[k..<(k + n)]), at: below(out.count + 1))
            case 5 where !other.isEmpty:   // splice with another input
                let a = below(out.count + 1), b = below(other.count + 1)
                out = Array(out[..<a]) + Array(other[b...])
            case 6 where out.count >= 4:   // overwrite four bytes (sizes in binary headers)
                let k = below(out.count - 3)
                let v = Mutator.tokens[Mutator.tokens.count - 1 - below(8)]
                for j in 0..<4 { out[k + j] = v[j] }
            default:   // a random byte
                out.insert(UInt8(truncatingIfNeeded: next()), at: below(out.count + 1))
            }
        }
        return out.count > limit ? Array(out.prefix(limit)) : out
    }
}
