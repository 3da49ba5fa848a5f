import DLXShell
import DLXInterpreter

/// A Jupyter connection file: where the five sockets listen, and the key that signs messages.
struct Connection {
    var transport = "tcp"
    var ip = "127.0.0.1"
    var shellPort = 0, iopubPort = 0, stdinPort = 0, controlPort = 0, heartbeatPort = 0
    var key = ""
    var signatureScheme = "hmac-sha256"

    /// Reads the file; the error says what is wrong with it.
    static func read(_ path: String) -> Result<Connection, KernelError> {
        guard let text = TextFiles.read(path) else {
            return .failure(KernelError(description: "cannot read the connection file '\(path)': \(TextFiles.failure)"))
        }
        guard let json = JSON.parse(text), case .object = json else {
            return .failure(KernelError(description: "the connection file '\(path)' is not a JSON object"))
        }
        var c = Connection()
        func port(_ name: String) -> Int? {
            guard let n = json[name]?.numberValue, n >= 0, n <= 65535, n == n.rounded() else { return nil }
            return Int(n)
        }
        guard let shell = port("shell_port"), let iopub = port("iopub_port"), let stdin = port("stdin_port"),
              let control = port("control_port"), let hb = port("hb_port") else {
            return .failure(KernelError(description: "the connection file '\(path)' lacks a port (shell, iopub, stdin, control, hb)"))
        }
        (c.shellPort, c.iopubPort, c.stdinPort, c.controlPort, c.heartbeatPort) = (shell, iopub, stdin, control, hb)
        if let t = json["transport"]?.stringValue { c.transport = t }
        if let ip = json["ip"]?.stringValue { c.ip = ip }
        if let key = json["key"]?.stringValue { c.key = key }
        if let scheme = json["signature_scheme"]?.stringValue { c.signatureScheme = scheme }
        guard c.transport == "tcp" || c.transport == "ipc" else {
            return .failure(KernelError(description: "unknown transport '\(c.transport)' (tcp or ipc)"))
        }
        guard c.key.isEmpty || c.signatureScheme == "hmac-sha256" else {
            return .failure(KernelError(description: "unsupported signature scheme '\(c.signatureScheme)' (dlx signs with hmac-sha256)"))
        }
        return .success(c)
    }

    /// A socket's endpoint: `tcp://ip:port`, or `ipc://ip-port` as Jupyter names ipc files.
    func endpoint(_ port: Int) -> String {
        transport == "ipc" ? "ipc://\(ip)-\(port)" : "tcp://\(ip):\(port)"
    }
}
