using System.CommandLine;
using LabelStamp.Cli.Commands;

namespace LabelStamp.Cli.Tests.Commands;

/// <summary>
/// The commands spell a shared option the same way: each spelling below parses to the same option, with the same
/// value, in every command that takes it; the names used before the options were shared still parse.
/// </summary>
public sealed class OptionSpellingTests
{
    private static Command Named(string name) => CommandCatalog.All().Single(c => c.Name == name);


    public static TheoryData<string, string[], string, object> Spellings => new()
    {
        // command, spellings (each parsed alone), the option's name, the value every spelling gives
        { "stamp", ["-j", "--parallel"], "--parallel", 3 },
        { "verify", ["-j", "--parallel"], "--parallel", 3 },
        { "run", ["-j", "--parallel", "--parallelism"], "--parallel", 3 },
        { "serve", ["-j", "--parallel", "--verify-concurrency"], "--parallel", 3 },
        { "stamp", ["-o", "--output"], "--output", "out-dir" },
        { "demo", ["-o", "--output", "--out"], "--output", "out-dir" },
        { "keys", ["-o", "--output", "--out"], "--output", "out-dir" },
        { "stamp", ["--key-file"], "--key-file", "k.key" },
        { "verify", ["--key-file"], "--key-file", "k.key" },
        { "run", ["--key-file"], "--key-file", "k.key" },
        { "serve", ["--key-file"], "--key-file", "k.key" },
        { "run", ["--store"], "--store", "file:///s" },
        { "serve", ["--store"], "--store", "file:///s" },
        { "stamp", ["--producer"], "--producer", "P1" },
        { "run", ["--producer"], "--producer", "P1" },
        { "stamp", ["--propagator"], "--propagator", "P2" },
        { "run", ["--propagator"], "--propagator", "P2" },
        { "run", ["--output-topic", "--output"], "--output-topic", "t.out" },
        { "run", ["--input-topic", "--input"], "--input-topic", "t.in" },
    };

    [Theory]
    [MemberData(nameof(Spellings))]
    public void Each_spelling_parses_to_the_shared_option(string command, string[] spellings, string name, object value)
    {
        string text = value.ToString()!;
        string[] positional = command is "stamp" or "verify" ? ["input.jpg"] : [];
        foreach (string spelling in spellings)
        {
            var parse = Named(command).Parse([.. positional, spelling, text]);
            Assert.Empty(parse.Errors);
            var given = parse.CommandResult.Children.OfType<System.CommandLine.Parsing.OptionResult>()
                .Single(r => r.Option.Name == name && r.IdentifierToken is not null);
            Assert.Equal(name, given.Option.Name);
            Assert.Equal(text, given.Tokens.Single().Value);
            Assert.Equal(value.ToString(), given.GetValueOrDefault<object?>()?.ToString());
        }
    }

    [Fact]
    public void Every_command_that_takes_a_shared_option_describes_it_once_under_one_name()
    {
        foreach (var command in CommandCatalog.All())
        {
            var names = command.Options.Select(o => o.Name).ToList();
            Assert.Equal(names.Count, names.Distinct().Count());
            // No command may take a former spelling as an option of its own: it is only ever an alias.
            Assert.DoesNotContain("--parallelism", names);
            Assert.DoesNotContain("--out", names);
            Assert.DoesNotContain("--verify-concurrency", names);
            foreach (var option in command.Options.Where(o => o.Name == "--parallel"))
                Assert.Contains("-j", option.Aliases);
            foreach (var option in command.Options.Where(o => o.Name == "--output" && command.Name != "run"))
                Assert.Contains("-o", option.Aliases);
        }
    }
}
