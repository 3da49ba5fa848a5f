#if canImport(Glibc)
import Glibc
#endif
import DLXFuzz

// dlx-fuzz TARGET SECONDS [--seed N] [--corpus DIR] [--work DIR]
// Runs one fuzz target (lexer, parser, interpreter, idx, csv) for SECONDS over the corpus in DIR
// (default Tests/Fuzz/corpus/TARGET, or code for the lexer, parser and interpreter). Exit 0: no crash. A crash kills the process; the input that caused
// it is WORK/current-TARGET (WORK defaults to .build/fuzz). scripts/fuzz wraps this.
var args = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String) -> String? {
    guard let k = args.firstIndex(of: name), k + 1 < args.count else { return nil }
    defer { args.removeSubrange(k...(k + 1)) }
    return args[k + 1]
}
let seed = option("--seed").flatMap { UInt64($0) } ?? 1
let corpusFolder = option("--corpus")
let work = option("--work") ?? ".build/fuzz"
guard args.count == 2, let target = FuzzTarget.named(args[0]), let seconds = Double(args[1]) else {
    print("usage: dlx-fuzz TARGET SECONDS [--seed N] [--corpus DIR] [--work DIR]\ntargets: "
          + FuzzTarget.all.map(\.name).joined(separator: " "))
    exit(2)
}
let scratch = work + "/scratch-" + target.name
mkdir(work, 0o755)
mkdir(scratch, 0o755)
var run = FuzzRun(target: target, corpus: FuzzRun.readCorpus(corpusFolder ?? "Tests/Fuzz/corpus/" + target.corpus))
run.seed = seed
let result = run.run(seconds: seconds, scratch: scratch, current: work + "/current-" + target.name)
for (k, input) in result.slowInputs.enumerated() { _ = FuzzTarget.write(input, work + "/slow-\(target.name)-\(k)") }
print("\(target.name): \(result.inputs) inputs in \(seconds) s (seed \(seed)), no crash"
      + (result.slowInputs.isEmpty ? "" : "; \(result.slowInputs.count) slow inputs kept in \(work)/slow-\(target.name)-*"))
