using System.CommandLine;
using LabelStamp.Cli.Commands;

namespace LabelStamp.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        System.Console.OutputEncoding = System.Text.Encoding.UTF8;
        var root = new RootCommand("LabelStamp: explicit and implicit AI-content labels (GB 45438-2025, EU AI Act Art. 50) for images, audio and video.");
        foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}
