namespace LabelStamp.Worker.Tests;

/// <summary>Integration tests run one at a time: each starts worker processes on a 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IntegrationCollection
{
    public const string Name = "worker processes";
}
