namespace LabelStamp.Worker.Configuration;

/// <summary>How the worker ties its outputs to its input offsets (spec §7).</summary>
public enum DeliveryMode
{
    /// <summary>Idempotent producer; an input offset is stored only after its output or dead letter is acknowledged.</summary>
    AtLeastOnce,

    /// <summary>Kafka transactions: outputs, dead letters and input offsets commit together.</summary>
    ExactlyOnce,
}
