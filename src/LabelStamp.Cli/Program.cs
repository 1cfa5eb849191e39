using System.CommandLine;
using LabelStamp.Cli.Commands;

var root = new RootCommand("LabelStamp: label AI-generated media (GB 45438-2025, EU AI Act Art. 50)");
foreach (var command in new[] { RunCommand.Create(), BrokerCommand.Create(), DemoCommand.Create() })
    root.Subcommands.Add(command);
return await root.Parse(args).InvokeAsync();
