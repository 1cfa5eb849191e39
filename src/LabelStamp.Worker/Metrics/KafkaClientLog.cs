using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace LabelStamp.Worker.Metrics;

/// <summary>
/// librdkafka's own log lines go through the worker's structured logger (not raw to stderr), with its
/// syslog levels mapped to log levels. A failed offset commit is reported at Information: the worker
/// treats it as a replay, never a loss (docs/worker.md), and a commit refused during a rebalance is
/// routine when group members come and go.
/// </summary>
public static class KafkaClientLog
{
    public static void Write(ILogger logger, LogMessage message)
    {
        var level = message.Facility == "COMMITFAIL" ? LogLevel.Information : message.Level switch
        {
            SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
            SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        logger.Log(level, "librdkafka {Client} {Facility}: {Message}", message.Name, message.Facility, message.Message);
    }
}
