using System.Runtime.InteropServices;
using System.Text;
using LabelStamp.Errors;

namespace LabelStamp.Worker.Broker;

/// <summary>
/// librdkafka's mock cluster: real Kafka protocol over TCP on 127.0.0.1, in this process, with fault
/// injection. For the demo, tests and trying the worker without Kafka. Limits (librdkafka docs): small
/// logs per partition (send media by reference) and no read_committed filtering of aborted transactions.
/// </summary>
public sealed class EmbeddedBroker : IDisposable
{
    private const int ProducerType = 0; // RD_KAFKA_PRODUCER: the mock needs a handle to live in
    private readonly MockClusterNative _native;
    private nint _handle;
    private nint _cluster;

    public EmbeddedBroker(int brokerCount = 1)
    {
        if (brokerCount is < 1 or > 10)
            throw new LabelStampException(ErrorCode.InvalidArgument, $"broker count {brokerCount} must be 1..10");
        _native = new MockClusterNative(LibrdkafkaLocator.Load());
        var errstr = new byte[512];
        nint conf = _native.RdConfNew();
        // The owning handle never connects anywhere; keep it quiet.
        _native.RdConfSet(conf, "log_level", "3", errstr, (nuint)errstr.Length);
        _handle = _native.RdNew(ProducerType, conf, errstr, (nuint)errstr.Length);
        if (_handle == 0)
            throw new LabelStampException(ErrorCode.Internal, "librdkafka rd_kafka_new failed: " + Encoding.UTF8.GetString(errstr).TrimEnd('\0'));
        _cluster = _native.RdMockClusterNew(_handle, brokerCount);
        if (_cluster == 0)
        {
            _native.RdDestroy(_handle);
            throw new LabelStampException(ErrorCode.Internal, "librdkafka rd_kafka_mock_cluster_new failed");
        }
        BrokerCount = brokerCount;
        BootstrapServers = Marshal.PtrToStringUTF8(_native.RdMockClusterBootstraps(_cluster)) ?? "";
    }

    /// <summary>e.g. "127.0.0.1:39211,127.0.0.1:40017": give it to any Kafka client (kcat -b …).</summary>
    public string BootstrapServers { get; }

    public int BrokerCount { get; }

    public void CreateTopic(string topic, int partitions, int replicationFactor = 1) =>
        Check(_native.RdMockTopicCreate(Cluster, topic, partitions, Math.Min(replicationFactor, BrokerCount)), $"create topic {topic}");

    /// <summary>Broker IDs are 1..BrokerCount. Down: connections closed and refused until up.</summary>
    public void SetBrokerDown(int brokerId) => Check(_native.RdMockBrokerSetDown(Cluster, brokerId), $"set broker {brokerId} down");

    public void SetBrokerUp(int brokerId) => Check(_native.RdMockBrokerSetUp(Cluster, brokerId), $"set broker {brokerId} up");

    /// <summary>The next requests with this API key (0 = Produce, 1 = Fetch, 8 = OffsetCommit, …) fail with these Kafka error codes in turn.</summary>
    public void PushRequestErrors(short apiKey, params int[] errors) =>
        _native.RdMockPushRequestErrorsArray(Cluster, apiKey, (nuint)errors.Length, errors);

    private nint Cluster => _cluster != 0 ? _cluster : throw new ObjectDisposedException(nameof(EmbeddedBroker));

    private void Check(int error, string what)
    {
        if (error != 0)
            throw new LabelStampException(ErrorCode.Internal, $"embedded broker: {what} failed: {Marshal.PtrToStringUTF8(_native.RdErr2Str(error))}");
    }

    public void Dispose()
    {
        if (_cluster != 0) { _native.RdMockClusterDestroy(_cluster); _cluster = 0; }
        if (_handle != 0) { _native.RdDestroy(_handle); _handle = 0; }
    }
}
