using System.CommandLine;
using LabelStamp.Cli.Commands;
using LabelStamp.Cli.Console;

namespace LabelStamp.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        System.Console.OutputEncoding = System.Text.Encoding.UTF8;
        var root = new RootCommand("LabelStamp: explicit and implicit AI-content labels (GB 45438-2025, EU AI Act Art. 50) for images, audio and video.");
        foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
        var parsed = root.Parse(args);
        using var signals = new TerminationSignals(unwindLimit: parsed.CommandResult.Command.Name != "run");
        // Termination is ours (TerminationSignals): the library's own handler would end the process
        // after its timeout without letting in-flight items clean up.
        int status = await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, signals.Token).ConfigureAwait(false);
        return signals.ExitCode ?? status;
    }
}
