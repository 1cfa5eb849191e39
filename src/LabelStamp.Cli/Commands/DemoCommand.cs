using System.CommandLine;
using LabelStamp.Cli.Demo;

namespace LabelStamp.Cli.Commands;

/// <summary><c>labelstamp demo</c>: embedded broker + generator + workers + checker, end to end on this machine.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var samples = new Option<string>("--samples") { Description = "directory of media to publish", DefaultValueFactory = _ => "samples-media" };
        var output = new Option<string>("--out", "-o") { Description = "where labeled files and the store go", DefaultValueFactory = _ => "labelstamp-demo" };
        var workers = new Option<int>("--workers") { Description = "number of workers", DefaultValueFactory = _ => 2 };
        var processes = new Option<bool>("--processes") { Description = "run each worker as a separate `labelstamp run` process" };
        var repeat = new Option<int>("--repeat") { Description = "publish the sample set this many times", DefaultValueFactory = _ => 3 };
        var bench = new Option<bool>("--bench") { Description = "also time the file path (Stamper directly) on the same files and print the ratio" };
        var noHostile = new Option<bool>("--no-hostile") { Description = "leave out the hostile inputs (for clean throughput figures)" };
        var command = new Command("demo", "run broker, generator, workers and checker end to end on this machine");
        foreach (var o in new Option[] { samples, output, workers, processes, repeat, bench, noHostile }) command.Options.Add(o);
        command.SetAction((parse, ct) =>
        {
            var settings = new DemoSettings
            {
                SamplesDirectory = parse.GetValue(samples)!,
                OutputDirectory = parse.GetValue(output)!,
                Workers = Math.Max(1, parse.GetValue(workers)),
                Processes = parse.GetValue(processes),
                Repeat = Math.Max(1, parse.GetValue(repeat)),
                Bench = parse.GetValue(bench),
                IncludeHostile = !parse.GetValue(noHostile),
            };
            return new DemoRunner(settings, System.Console.Out).RunAsync(ct);
        });
        return command;
    }
}
