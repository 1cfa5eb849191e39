namespace LabelStamp.Worker.Configuration;

/// <summary>Who runs the worker (spec §7, §8).</summary>
public enum WorkerMode
{
    /// <summary>A generation provider: every item gets all four layers with Label "1".</summary>
    Provider,

    /// <summary>A distribution platform: read existing labels first, keep them and add the propagation fields,
    /// or write Label "2"/"3" with a notice, or pass the item through unchanged.</summary>
    Platform,
}
