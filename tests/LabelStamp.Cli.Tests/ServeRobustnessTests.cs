using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using LabelStamp.TestSupport;

namespace LabelStamp.Cli.Tests;

/// <summary>
/// `labelstamp serve` as a real process under the inputs of the issue-22 campaign: concurrent large uploads
/// (its peak memory read from /proc), malformed multipart, a slow body, a client that hangs up, a port in use
/// and a missing store. Each must give a 4xx (or a one-line start-up error) and never a stack trace.
/// </summary>
public sealed class ServeRobustnessTests
{
    private const long MiB = 1 << 20;

    /// <summary>No stack trace, no exception name, no Kestrel error line anywhere in what serve printed.</summary>
    private static void AssertNoTrace(ServeProcess serve)
    {
        foreach (string line in serve.Lines)
        {
            Assert.DoesNotContain("   at ", line, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
            Assert.DoesNotContain("fail:", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Concurrent_60_MiB_uploads_stay_within_the_upload_budget_and_the_excess_gets_503()
    {
        // Defaults: 64 MiB cap, 256 MiB in flight. Before the budget, 10 such uploads reached 1.6 GB RSS.
        using var serve = ServeProcess.Start(RepoPaths.NewTempDir(), "--verify-burst", "1000", "--verify-per-minute", "100000");
        var upload = new byte[60 * MiB];
        new Random(22).NextBytes(upload); // not media: each admitted upload is a quick 422
        // Clients of large uploads send Expect: 100-continue (curl does above 1 MiB): a refusal is answered
        // before the body is read and closes the connection, so a client that streams 60 MiB regardless races
        // that close and may see a TCP reset instead of the 503 (it did, on a loaded machine). The generous
        // timeout keeps the client waiting for the answer rather than sending the body after the default 1 s.
        using var http = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMinutes(1) })
        {
            Timeout = TimeSpan.FromMinutes(2),
        };
        string url = serve.Base + "/verify";

        async Task<(int Status, string? RetryAfter)> Post(bool chunked)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(upload) };
            request.Headers.ExpectContinue = true;
            if (chunked)
            {
                request.Content = new StreamContent(new NonSeekableStream(upload));
                request.Headers.TransferEncodingChunked = true;
            }
            using var response = await http.SendAsync(request);
            return ((int)response.StatusCode, response.Headers.RetryAfter?.ToString());
        }

        var raw = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Post(chunked: false)));
        var chunked = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Post(chunked: true)));
        long peak = serve.PeakResidentBytes();

        foreach (var (status, retryAfter) in raw.Concat(chunked))
        {
            Assert.True(status is 422 or 503, $"status {status}");
            if (status == 503) Assert.Equal("5", retryAfter);
        }
        Assert.Contains(raw, r => r.Status == 422);       // within the budget: served
        Assert.Contains(chunked, r => r.Status == 422);
        Assert.Contains(raw, r => r.Status == 503);       // ten at once do not fit in 256 MiB
        Assert.True(peak < 1024 * MiB, $"serve peaked at {peak / MiB} MiB RSS after 20 concurrent 60 MiB uploads");
        // One log line per request, whatever its fate.
        Assert.Equal(20, serve.WaitForLines(20, "verify: ", "verify refused: ").Count);
        AssertNoTrace(serve);
    }

    [Fact]
    public async Task Malformed_multipart_slow_and_aborted_bodies_get_4xx_and_one_log_line_without_a_trace()
    {
        using var serve = ServeProcess.Start(RepoPaths.NewTempDir(), "--verify-burst", "1000", "--verify-per-minute", "100000");
        string url = serve.Base + "/verify";
        const string filePart = "--abc\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n";
        var cases = new (string Name, string ContentType, string Body)[]
        {
            ("no boundary parameter", "multipart/form-data", filePart + "\r\nxx\r\n--abc--\r\n"),
            ("boundary over 70 characters", "multipart/form-data; boundary=" + new string('b', 71), filePart + "\r\nxx\r\n--abc--\r\n"),
            ("boundary never in the body", "multipart/form-data; boundary=abc", "just some bytes"),
            ("no closing boundary", "multipart/form-data; boundary=abc", filePart + "\r\nhello"),
            ("part headers over 16 KiB", "multipart/form-data; boundary=abc", filePart + "X-Pad: " + new string('a', 17_000) + "\r\n\r\nxx\r\n--abc--\r\n"),
            ("nested multipart", "multipart/form-data; boundary=abc",
                filePart + "Content-Type: multipart/mixed; boundary=def\r\n\r\n--def\r\nContent-Disposition: file; filename=\"b\"\r\n\r\nxx\r\n--def--\r\n--abc--\r\n"),
            ("invalid Content-Disposition", "multipart/form-data; boundary=abc", "--abc\r\nContent-Disposition: ;;;==\r\n\r\nxx\r\n--abc--\r\n"),
            ("a part header line without a colon", "multipart/form-data; boundary=abc", "--abc\r\nnot a header\r\n\r\nxx\r\n--abc--\r\n"),
        };
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        foreach (var (name, contentType, body) in cases)
        {
            var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            using var response = await http.PostAsync(url, content);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode}");
        }

        // A body trickling in below Kestrel's MinRequestBodyDataRate (240 B/s after a 5 s grace): 408.
        using (var slow = await RawHttp.ConnectAsync(serve.Base))
        {
            await slow.SendAsync("POST /verify HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n0123456789");
            var watch = System.Diagnostics.Stopwatch.StartNew();
            Assert.Equal(408, await slow.ReadStatusAsync(TimeSpan.FromSeconds(30)));
            Assert.InRange(watch.Elapsed.TotalSeconds, 3, 30);
        }
        // A client that sends half its body and hangs up: logged once, as a 400 nobody reads or as gone,
        // depending on whether Kestrel saw the reset before the read failed.
        using (var quitter = await RawHttp.ConnectAsync(serve.Base))
            await quitter.SendAsync("POST /verify HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + new string('x', 5000));

        int expected = cases.Length + 2;
        var logged = serve.WaitForLines(expected, "verify refused: ", "verify abandoned: ", "verify: ");
        Assert.True(logged.Count == expected, string.Join("\n", logged));
        Assert.Equal(cases.Length + 1, logged.Count(l => l.Contains("verify refused: 400", StringComparison.Ordinal) || l.Contains("verify abandoned: client went away while uploading", StringComparison.Ordinal)));
        Assert.Single(logged, l => l.Contains("verify refused: 408", StringComparison.Ordinal));
        Assert.Equal(200, (int)(await http.GetAsync(serve.Base + "/health")).StatusCode); // still serving
        AssertNoTrace(serve);
    }

    [Fact]
    public void A_port_in_use_is_one_error_line_and_exit_2()
    {
        string store = RepoPaths.NewTempDir();
        using var first = ServeProcess.Start(store);
        var (exitCode, stdout, stderr) = ServeProcess.RunToFailure("--listen", first.Base, "--store", new Uri(store).AbsoluteUri);
        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.Equal($"error LS902: cannot listen on {first.Base}: address in use", stderr.TrimEnd('\n'));
    }

    [Fact]
    public void A_missing_store_folder_is_an_error_at_start_up()
    {
        string missing = Path.Combine(RepoPaths.NewTempDir(), "not-there");
        var (exitCode, stdout, stderr) = ServeProcess.RunToFailure("--listen", "http://127.0.0.1:0", "--store", new Uri(missing).AbsoluteUri);
        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("error LS900: serve: store folder '" + missing + "' does not exist", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Upload_limits_are_validated_at_start_up()
    {
        var (exitCode, _, stderr) = ServeProcess.RunToFailure("--listen", "http://127.0.0.1:0", "--store", new Uri(RepoPaths.NewTempDir()).AbsoluteUri,
            "--max-upload", "1048576", "--max-upload-in-flight", "1048575");
        Assert.Equal(2, exitCode);
        Assert.StartsWith("error LS903: serve configuration: MaxUploadBytesInFlight (1048575) must be at least MaxUploadBytes", stderr, StringComparison.Ordinal);
        (exitCode, _, stderr) = ServeProcess.RunToFailure("--listen", "http://127.0.0.1:0", "--store", new Uri(RepoPaths.NewTempDir()).AbsoluteUri, "--verify-timeout", "0");
        Assert.Equal(2, exitCode);
        Assert.Contains("VerifyTimeout", stderr, StringComparison.Ordinal);
    }

    /// <summary>A stream HttpClient cannot measure, so the upload goes out chunked.</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public override bool CanSeek => false;
    }
}
