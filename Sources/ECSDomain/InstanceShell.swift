/// The built-in shell an instance's SSH session talks to. It answers a few commands from what
/// ECS set up on the instance and runs nothing on the host: LocalECS never executes a command of
/// the machine it runs on.
public struct InstanceShell: Sendable {
    public struct Output: Sendable, Equatable {
        public var stdout: String
        public var stderr: String
        public var status: Int32
        /// `exit` was asked for: the session ends after this output.
        public var exits: Bool = false

        public init(stdout: String, stderr: String, status: Int32, exits: Bool = false) {
            self.stdout = stdout; self.stderr = stderr; self.status = status; self.exits = exits
        }
    }

    public var hostName: String
    public var image: Image?
    /// The public key in effect: what cloud-init writes to /root/.ssh/authorized_keys.
    public var authorizedKey: String?

    public init(hostName: String, image: Image?, authorizedKey: String?) {
        self.hostName = hostName; self.image = image; self.authorizedKey = authorizedKey
    }

    /// Runs one command line. Words split on blanks; quotes group words, as far as `echo` needs.
    public func run(_ line: String) -> Output {
        let words = Self.words(line)
        guard let name = words.first else { return Output(stdout: "", stderr: "", status: 0) }
        let args = Array(words.dropFirst())
        switch name {
        case "hostname": return ok(hostName + "\n")
        case "whoami": return ok("root\n")
        case "id": return ok("uid=0(root) gid=0(root) groups=0(root)\n")
        case "uname":
            let machine = image?.architecture == "arm64" ? "aarch64" : "x86_64"
            if args == ["-a"] { return ok("Linux \(hostName) \(kernel) #1 SMP \(machine) \(machine) \(machine) GNU/Linux\n") }
            if args.isEmpty || args == ["-s"] { return ok("Linux\n") }
            if args == ["-n"] { return ok(hostName + "\n") }
            if args == ["-m"] { return ok(machine + "\n") }
            if args == ["-r"] { return ok(kernel + "\n") }
            return Output(stdout: "", stderr: "uname: unsupported option in this instance shell\n", status: 1)
        case "cat":
            guard !args.isEmpty else { return Output(stdout: "", stderr: "", status: 0) }
            var out = "", err = "", status: Int32 = 0
            for path in args {
                switch path {
                case "/etc/os-release": out += osRelease
                case "/etc/hostname": out += hostName + "\n"
                case "/root/.ssh/authorized_keys", "~/.ssh/authorized_keys", ".ssh/authorized_keys":
                    if let key = authorizedKey { out += key + "\n" } else {
                        err += "cat: \(path): No such file or directory\n"; status = 1
                    }
                default: err += "cat: \(path): No such file or directory\n"; status = 1
                }
            }
            return Output(stdout: out, stderr: err, status: status)
        case "echo": return ok(args.joined(separator: " ") + "\n")
        case "true", ":": return ok("")
        case "false": return Output(stdout: "", stderr: "", status: 1)
        case "exit":
            let code = args.first.flatMap { Int32($0) }.map { $0 & 0xFF } ?? 0
            return Output(stdout: "", stderr: "", status: code, exits: true)
        default:
            return Output(stdout: "", stderr: "sh: \(name): command not found\n", status: 127)
        }
    }

    func ok(_ s: String) -> Output { Output(stdout: s, stderr: "", status: 0) }

    var kernel: String {
        switch image?.platform {
        case "Ubuntu": return "5.15.0-91-generic"
        case "Debian": return "6.1.0-23-amd64"
        case "CentOS": return "3.10.0-1160.119.1.el7.x86_64"
        default: return "5.10.134-16.3.al8.x86_64"
        }
    }

    /// /etc/os-release of the image the instance was made from.
    public var osRelease: String {
        let (id, name, version, pretty): (String, String, String, String)
        switch image?.platform {
        case "Ubuntu": (id, name, version, pretty) = ("ubuntu", "Ubuntu", "22.04", "Ubuntu 22.04.3 LTS")
        case "Debian": (id, name, version, pretty) = ("debian", "Debian GNU/Linux", "12", "Debian GNU/Linux 12 (bookworm)")
        case "CentOS": (id, name, version, pretty) = ("centos", "CentOS Linux", "7", "CentOS Linux 7 (Core)")
        default: (id, name, version, pretty) = ("alinux", "Alibaba Cloud Linux", "3", "Alibaba Cloud Linux 3.2104 LTS 64 bit")
        }
        return "NAME=\"\(name)\"\nVERSION=\"\(version)\"\nID=\"\(id)\"\nVERSION_ID=\"\(version)\"\nPRETTY_NAME=\"\(pretty)\"\n"
    }

    /// Blank-separated words; single and double quotes group and are removed.
    static func words(_ line: String) -> [String] {
        var out: [String] = [], cur = "", quote: Character?, inWord = false
        for c in line {
            if let q = quote {
                if c == q { quote = nil } else { cur.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c; inWord = true
            } else if c == " " || c == "\t" || c == "\n" || c == "\r" {
                if inWord { out.append(cur); cur = ""; inWord = false }
            } else {
                cur.append(c); inWord = true
            }
        }
        if inWord { out.append(cur) }
        return out
    }
}
