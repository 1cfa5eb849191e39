using System.CommandLine;
using System.CommandLine.Help;
using LabelStamp.Cli.Commands;
using LabelStamp.Cli.Console;

namespace LabelStamp.Cli;

public static class Program
{
    /// <summary>The name users type (the ./labelstamp launcher, the container's entry point). Not the
    /// RootCommand's, which is the assembly's file name ("LabelStamp.Cli") and cannot be changed.</summary>
    public const string Name = "labelstamp";

    public static async Task<int> Main(string[] args)
    {
        System.Console.OutputEncoding = System.Text.Encoding.UTF8;
        var parsed = CreateRoot().Parse(args);
        // Usage errors exit 2 like every other error (spec §9), in the one-line error format.
        if (UsageErrors.Any(parsed)) return UsageErrors.Report(parsed, System.Console.Error);
        using var signals = new TerminationSignals(unwindLimit: parsed.CommandResult.Command.Name != "run");
        // Termination is ours (TerminationSignals): the library's own handler would end the process
        // after its timeout without letting in-flight items clean up.
        int status = await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, signals.Token).ConfigureAwait(false);
        return signals.ExitCode ?? status;
    }

    /// <summary>The command tree: a plain command named <see cref="Name"/> with the help and version
    /// options a RootCommand would add.</summary>
    public static Command CreateRoot()
    {
        var root = new Command(Name, "LabelStamp: explicit and implicit AI-content labels (GB 45438-2025, EU AI Act Art. 50) for images, audio and video. "
            + "Exit status: 0 = done (verify: every file carries an AI label), 1 = verify found no AI label in some file, 2 = error or usage error.");
        root.Options.Add(new HelpOption());
        root.Options.Add(new VersionOption());
        foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
        return root;
    }
}
