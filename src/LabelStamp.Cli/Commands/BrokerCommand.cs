using System.CommandLine;
using LabelStamp.Worker.Broker;
using LabelStamp.Worker.Configuration;

namespace LabelStamp.Cli.Commands;

/// <summary><c>labelstamp broker</c>: a standalone embedded Kafka (librdkafka mock cluster) for trying the worker.</summary>
public static class BrokerCommand
{
    public static Command Create()
    {
        var brokers = new Option<int>("--brokers") { Description = "Number of mock brokers", DefaultValueFactory = _ => 1 };
        var partitions = new Option<int>("--partitions") { Description = "Partitions of the input and output topics", DefaultValueFactory = _ => 4 };
        var command = new Command("broker", "Run an embedded Kafka broker (librdkafka's mock cluster) on 127.0.0.1 and print its bootstrap servers; Ctrl-C stops it");
        command.Options.Add(brokers);
        command.Options.Add(partitions);
        command.SetAction(async (parse, ct) =>
        {
            using var broker = new EmbeddedBroker(parse.GetValue(brokers));
            var defaults = new WorkerOptions();
            broker.CreateTopic(defaults.InputTopic, parse.GetValue(partitions));
            broker.CreateTopic(defaults.OutputTopic, parse.GetValue(partitions));
            broker.CreateTopic(defaults.DeadLetterTopic, 1);
            System.Console.WriteLine(broker.BootstrapServers);
            await System.Console.Error.WriteLineAsync(
                $"embedded broker up; topics {defaults.InputTopic}, {defaults.OutputTopic}, {defaults.DeadLetterTopic}. Try: kcat -b {broker.BootstrapServers} -L   (Ctrl-C stops)");
            try { await Task.Delay(Timeout.Infinite, ct); }
            catch (OperationCanceledException) { }
            return 0;
        });
        return command;
    }
}
