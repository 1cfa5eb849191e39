using System.Runtime.InteropServices;

namespace LabelStamp.Worker.Broker;

/// <summary>
/// The few librdkafka entry points the embedded broker needs (rdkafka.h / rdkafka_mock.h), bound by
/// name from the loaded library. Delegates rather than DllImport: the library path is found at run time.
/// </summary>
internal sealed class MockClusterNative
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate nint ConfNew();
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate int ConfSet(nint conf, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, byte[] errstr, nuint errstrSize);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate nint KafkaNew(int type, nint conf, byte[] errstr, nuint errstrSize);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate void KafkaDestroy(nint rk);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate nint ClusterNew(nint rk, int brokerCount);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate void ClusterDestroy(nint cluster);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate nint ClusterBootstraps(nint cluster);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate int TopicCreate(nint cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partitions, int replicationFactor);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate int BrokerSet(nint cluster, int brokerId);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate void PushRequestErrorsArray(nint cluster, short apiKey, nuint count, int[] errors);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate nint ErrorToString(int error);

    public MockClusterNative(nint library)
    {
        T Bind<T>(string name) where T : Delegate => Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(library, name));
        RdConfNew = Bind<ConfNew>("rd_kafka_conf_new");
        RdConfSet = Bind<ConfSet>("rd_kafka_conf_set");
        RdNew = Bind<KafkaNew>("rd_kafka_new");
        RdDestroy = Bind<KafkaDestroy>("rd_kafka_destroy");
        RdMockClusterNew = Bind<ClusterNew>("rd_kafka_mock_cluster_new");
        RdMockClusterDestroy = Bind<ClusterDestroy>("rd_kafka_mock_cluster_destroy");
        RdMockClusterBootstraps = Bind<ClusterBootstraps>("rd_kafka_mock_cluster_bootstraps");
        RdMockTopicCreate = Bind<TopicCreate>("rd_kafka_mock_topic_create");
        RdMockBrokerSetDown = Bind<BrokerSet>("rd_kafka_mock_broker_set_down");
        RdMockBrokerSetUp = Bind<BrokerSet>("rd_kafka_mock_broker_set_up");
        RdMockPushRequestErrorsArray = Bind<PushRequestErrorsArray>("rd_kafka_mock_push_request_errors_array");
        RdErr2Str = Bind<ErrorToString>("rd_kafka_err2str");
    }

    public ConfNew RdConfNew { get; }
    public ConfSet RdConfSet { get; }
    public KafkaNew RdNew { get; }
    public KafkaDestroy RdDestroy { get; }
    public ClusterNew RdMockClusterNew { get; }
    public ClusterDestroy RdMockClusterDestroy { get; }
    public ClusterBootstraps RdMockClusterBootstraps { get; }
    public TopicCreate RdMockTopicCreate { get; }
    public BrokerSet RdMockBrokerSetDown { get; }
    public BrokerSet RdMockBrokerSetUp { get; }
    public PushRequestErrorsArray RdMockPushRequestErrorsArray { get; }
    public ErrorToString RdErr2Str { get; }
}
