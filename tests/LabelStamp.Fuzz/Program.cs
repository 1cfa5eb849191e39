using LabelStamp.Fuzz;
using SharpFuzz;

// Usage: see README.md beside this file. Exit 0 = no finding, 1 = findings, 2 = usage error.
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: LabelStamp.Fuzz list | TARGET (under afl-fuzz) | replay TARGET PATH... | seeds OUTDIR FILE...");
    return 2;
}
if (args[0] == "list")
{
    foreach (var t in FuzzTargets.All) Console.WriteLine($"{t.Name,-12} {t.Covers}");
    return 0;
}
if (args[0] == "seeds" && args.Length >= 3)
{
    SeedCorpus.Write(args[1], args[2..]);
    return 0;
}
if (args[0] == "replay" && args.Length >= 3)
{
    var target = FuzzTargets.Find(args[1]);
    if (target is null) return Unknown(args[1]);
    return Replay.Run(target, args[2..]);
}
var fuzzed = FuzzTargets.Find(args[0]);
if (fuzzed is null) return Unknown(args[0]);
// AFL++ persistent mode: one process runs many inputs; an escaping exception or a hang is a finding.
Fuzzer.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    fuzzed.Run(buffer.ToArray());
});
return 0;

static int Unknown(string name)
{
    Console.Error.WriteLine($"unknown target '{name}'; targets: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}");
    return 2;
}
