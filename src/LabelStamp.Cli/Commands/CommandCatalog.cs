using System.CommandLine;

namespace LabelStamp.Cli.Commands;

/// <summary>Every subcommand of `labelstamp`; each lives in its own file and is added here once.</summary>
public static class CommandCatalog
{
    public static IEnumerable<Command> All() =>
    [
        StampCommand.Create(),
        VerifyCommand.Create(),
        RunCommand.Create(),
        BrokerCommand.Create(),
        DemoCommand.Create(),
        KeysCommand.Create(),
        ServeCommand.Create(),
    ];
}
