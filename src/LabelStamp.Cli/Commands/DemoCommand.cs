using System.CommandLine;
using LabelStamp.Cli.Demo;

namespace LabelStamp.Cli.Commands;

/// <summary><c>labelstamp demo</c>: embedded broker + generator + workers + checker, end to end on this machine.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var samples = new Option<string>("--samples") { Description = "Directory of media to publish", DefaultValueFactory = _ => DefaultSamples() };
        var output = CommonOptions.OutputDirectory("Where labeled files and the store go", "labelstamp-demo", "--out");
        var workers = new Option<int>("--workers") { Description = "Number of workers", DefaultValueFactory = _ => 2 };
        var processes = new Option<bool>("--processes") { Description = "Run each worker as a separate `labelstamp run` process" };
        var repeat = new Option<int>("--repeat") { Description = "Publish the sample set this many times", DefaultValueFactory = _ => 3 };
        var bench = new Option<bool>("--bench") { Description = "Also time the file path (no Kafka) on the same files and print the ratio" };
        var rounds = new Option<int>("--rounds") { Description = "With --bench: alternate this many Kafka and file-path rounds and print the median ratio", DefaultValueFactory = _ => 1 };
        var noHostile = new Option<bool>("--no-hostile") { Description = "Leave out the hostile inputs (for clean throughput figures)" };
        var command = new Command("demo", "Run an embedded broker, a generator, workers and a checker end to end on this machine, then print a table and the throughput");
        foreach (var o in new Option[] { samples, output, workers, processes, repeat, bench, rounds, noHostile }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            var settings = new DemoSettings
            {
                SamplesDirectory = parse.GetValue(samples)!,
                OutputDirectory = parse.GetValue(output)!,
                Workers = Math.Max(1, parse.GetValue(workers)),
                Processes = parse.GetValue(processes),
                Repeat = Math.Max(1, parse.GetValue(repeat)),
                Bench = parse.GetValue(bench),
                Rounds = Math.Max(1, parse.GetValue(rounds)),
                IncludeHostile = !parse.GetValue(noHostile),
            };
            try
            {
                return await new DemoRunner(settings, System.Console.Out).RunAsync(ct).ConfigureAwait(false);
            }
            catch (LabelStamp.Errors.LabelStampException e)
            {
                System.Console.Error.WriteLine(Console.ErrorLine.Format(e.CodeText, e.Message));
                return 2;
            }
        });
        return command;
    }

    /// <summary>samples-media of the repository this build came from, else of the current directory.</summary>
    private static string DefaultSamples()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "LabelStamp.sln")) && Directory.Exists(Path.Combine(dir.FullName, "samples-media")))
                return Path.Combine(dir.FullName, "samples-media");
        return "samples-media";
    }
}
