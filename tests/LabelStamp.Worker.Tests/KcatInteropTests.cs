using System.Diagnostics;
using LabelStamp.Worker.Tests.Support;

namespace LabelStamp.Worker.Tests;

/// <summary>kcat (librdkafka's CLI, an independent client) talks to the embedded broker and the worker's contract.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class KcatInteropTests
{
    [Fact]
    public async Task KcatProducesAnInput_AndReadsTheWorkersAnswer()
    {
        Assert.True(File.Exists("/usr/bin/kcat"), "kcat is required (apt-get install kcat)");
        using var rig = new PipelineRig(inputPartitions: 1);
        rig.StartWorker("w1");
        // 185 KB: sent inline by kcat (the whole file as one message).
        string small = Path.Combine(PipelineRig.SamplesDirectory, "images", "arc-transparent.png");
        var input = new Cli.Demo.SampleInput("kcat-1", "arc-transparent.png", await File.ReadAllBytesAsync(small));

        var (code, _) = await Kcat(["-P", "-b", rig.Broker.BootstrapServers, "-t", rig.Topics.InputTopic, "-k", "kcat-1",
            "-H", "ce_specversion=1.0", "-H", "ce_id=kcat-1", "-H", "ce_type=labelstamp.media.generated", "-H", "ce_source=urn:kcat",
            "-H", "content_type=image/png", "-H", "ls-producer=KcatTest", small]);
        Assert.Equal(0, code);

        // The answer is on the output topic, or (for this build's formats) the DLQ; kcat reads both.
        string topic = PipelineRig.ExpectLabeled(input) ? rig.Topics.OutputTopic : rig.Topics.DeadLetterTopic;
        string text = "";
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < PipelineRig.Patience && !text.Contains("kcat-1", StringComparison.Ordinal);)
        {
            (_, text) = await Kcat(["-C", "-b", rig.Broker.BootstrapServers, "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%k|%h\n"]);
            if (!text.Contains("kcat-1", StringComparison.Ordinal)) await Task.Delay(500);
        }
        Assert.Contains("kcat-1|", text);
        if (topic == rig.Topics.OutputTopic)
        {
            Assert.Contains("ce_type=labelstamp.media.labeled", text);
            Assert.Contains("ls-aigc=", text);
            Assert.Contains("ls-sha256=", text);
        }
        else
        {
            Assert.Contains("ls-error-code=LS", text);
            Assert.Contains("ls-source-topic=" + rig.Topics.InputTopic, text);
            Assert.Contains("ls-producer=KcatTest", text); // original headers kept
        }
    }

    [Fact]
    public async Task MetricsAndHealthEndpoints_ReportTheWork()
    {
        using var rig = new PipelineRig(inputPartitions: 1);
        int port = FreePort();
        rig.StartWorker("w1", metricsPort: port);
        var inputs = PipelineRig.Samples("m", 1).Take(2).ToList();
        await rig.PublishAsync(inputs);
        using (var collector = rig.Collector())
            Assert.True(collector.CollectUntil(inputs.Select(i => i.ContentId).ToHashSet(), PipelineRig.Patience), rig.Logs());

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        string metrics = "";
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(30) && !metrics.Contains("labelstamp_consumed_total 2", StringComparison.Ordinal);)
        {
            try { metrics = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics"); }
            catch (HttpRequestException) { await Task.Delay(500); }
        }
        Assert.Contains("labelstamp_consumed_total 2", metrics);
        Assert.Contains("labelstamp_stage_seconds_bucket", metrics);
        Assert.Contains("labelstamp_in_flight 0", metrics);
        var health = await http.GetAsync($"http://127.0.0.1:{port}/health");
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task<(int Code, string Output)> Kcat(string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/kcat") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(true); throw; }
        return (process.ExitCode, await stdout + await stderr);
    }
}
