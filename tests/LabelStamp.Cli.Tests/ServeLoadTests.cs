using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using LabelStamp.Media;
using LabelStamp.TestSupport;
using LabelStamp.Verification;
using LabelStamp.Worker.Origin;
using Microsoft.Extensions.Logging;

namespace LabelStamp.Cli.Tests;

/// <summary>
/// The admission bounds of POST /verify (issue 22), on the origin in-process over loopback with a verifier
/// whose one inspector holds every JPEG until the test opens it: a stand-in for a CPU-bound verification
/// that makes "running", "waiting" and "refused" observable without timing guesses.
/// </summary>
public sealed class ServeLoadTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, .. new byte[1000]];

    [Fact]
    public async Task Beyond_the_running_and_waiting_places_a_request_gets_503_and_a_client_leaving_the_line_frees_its_place()
    {
        var inspector = new GatedInspector(honoursCancellation: true);
        await using var origin = await Origin.StartAsync(inspector, o => o with { VerifyConcurrency = 1, VerifyQueue = 1 });
        var running = origin.PostAsync(Jpeg);
        Assert.True(await inspector.Started.WaitAsync(Wait));

        using var leaveSecond = new CancellationTokenSource();
        using var leaveThird = new CancellationTokenSource();
        var second = origin.PostAsync(Jpeg, leaveSecond.Token);
        var third = origin.PostAsync(Jpeg, leaveThird.Token);
        // One of them takes the waiting place; the other is refused at once (nothing else completes until Open).
        var first = await Task.WhenAny(second, third).WaitAsync(Wait);
        var refused = await first;
        Assert.Equal((503, "5"), (refused.Status, refused.RetryAfter));
        Assert.False(running.IsCompleted);

        var (waiting, leave) = first == second ? (third, leaveThird) : (second, leaveSecond);
        Assert.False(waiting.IsCompleted);
        leave.Cancel(); // the waiting client gives up
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        // Its place is free again: a new request waits (is not refused) once the server has seen the hang-up.
        var fourth = await RetryWhileRefused(() => origin.PostAsync(Jpeg), pending: TimeSpan.FromSeconds(2));
        Assert.False(running.IsCompleted);
        inspector.Open();
        Assert.Equal(200, (await running).Status);
        Assert.Equal(200, (await fourth).Status);
        Assert.Equal(2, inspector.Completed); // the one that left never reached the verifier
        Assert.Contains(origin.Lines, l => l.Contains("verify abandoned: client went away while queued", StringComparison.Ordinal));
        origin.AssertNoExceptionsLogged();
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_verify_cancels_the_work_and_frees_its_slot()
    {
        var inspector = new GatedInspector(honoursCancellation: true);
        await using var origin = await Origin.StartAsync(inspector, o => o with { VerifyConcurrency = 1, VerifyQueue = 0 });
        using var leaving = new CancellationTokenSource();
        var gone = origin.PostAsync(Jpeg, leaving.Token);
        Assert.True(await inspector.Started.WaitAsync(Wait));
        leaving.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gone);
        Assert.True(await inspector.Stopped.WaitAsync(Wait), "the verification was not cancelled");
        Assert.Equal(1, inspector.Cancellations);

        inspector.Open();
        // With no waiting places, a slot still held would refuse every request: it is served instead.
        var next = await RetryWhileRefused(() => origin.PostAsync(Jpeg), pending: TimeSpan.Zero);
        Assert.Equal(200, (await next).Status);
        Assert.Single(origin.Lines, l => l.Contains("verify abandoned: client went away during verification", StringComparison.Ordinal));
        origin.AssertNoExceptionsLogged();
    }

    [Fact]
    public async Task Past_the_deadline_the_client_gets_422_LS112_and_the_slot_stays_taken_until_the_work_really_ends()
    {
        // This inspector ignores its token, as a verifier stuck in native code would: the answer must still come.
        var inspector = new GatedInspector(honoursCancellation: false);
        await using var origin = await Origin.StartAsync(inspector, o => o with { VerifyConcurrency = 1, VerifyQueue = 1, VerifyTimeout = TimeSpan.FromSeconds(1) });
        var watch = Stopwatch.StartNew();
        var late = await origin.PostAsync(Jpeg).WaitAsync(Wait);
        Assert.Equal((422, "error"), (late.Status, late.Verdict));
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.9, Wait.TotalSeconds);
        using (var json = JsonDocument.Parse(late.Body))
        {
            Assert.Equal("LS112", json.RootElement.GetProperty("errorCode").GetString());
            Assert.Contains("VerifyTimeout", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(0, inspector.Completed); // still running

        // The abandoned work still holds the only slot: the next request waits its deadline out and gets 503.
        var waited = await origin.PostAsync(Jpeg).WaitAsync(Wait);
        Assert.Equal((503, "5"), (waited.Status, waited.RetryAfter));

        inspector.Open();
        Assert.True(await inspector.Stopped.WaitAsync(Wait));
        var next = await RetryWhileRefused(() => origin.PostAsync(Jpeg), pending: TimeSpan.Zero);
        Assert.Equal(200, (await next).Status);
        Assert.Contains(origin.Lines, l => l.Contains("verify refused: 503 no verification slot within VerifyTimeout", StringComparison.Ordinal));
        origin.AssertNoExceptionsLogged();
    }

    [Fact]
    public async Task Uploads_over_the_in_flight_budget_get_503_within_it_they_are_served_and_every_path_gives_the_bytes_back()
    {
        const int MiB = 1 << 20;
        // Three 1 MiB uploads of known length fill a 3 MiB budget; a chunked one reserves the 1 MiB cap.
        var inspector = new GatedInspector(honoursCancellation: true);
        await using var origin = await Origin.StartAsync(inspector, o => o with { MaxUploadBytes = MiB, MaxUploadBytesInFlight = 3 * MiB });
        async Task<(int Status, RawHttp Connection)> Hold()
        {
            // Expect: 100-continue — Kestrel answers 100 only when the handler starts reading, i.e. after the reservation.
            var connection = await RawHttp.ConnectAsync(origin.Url);
            await connection.SendAsync($"POST /verify HTTP/1.1\r\nHost: x\r\nContent-Length: {MiB}\r\nExpect: 100-continue\r\n\r\n");
            return (await connection.ReadStatusAsync(Wait), connection);
        }
        // Over the cap: refused by Content-Length before reading, or when a chunked body passes the cap.
        Assert.Equal(413, (await origin.PostAsync(new byte[MiB + 1])).Status);
        Assert.Equal(413, (await origin.PostAsync(new byte[MiB + 1], chunked: true)).Status);
        var held = new List<RawHttp>();
        for (int i = 0; i < 3; i++)
        {
            var (status, connection) = await Hold();
            Assert.Equal(100, status);
            held.Add(connection);
        }
        var small = new byte[1000]; // not media: a quick 422 when admitted
        var refused = await origin.PostAsync(small);
        Assert.Equal((503, "5"), (refused.Status, refused.RetryAfter));
        Assert.Equal(503, (await origin.PostAsync(small, chunked: true)).Status);
        var (fourth, extra) = await Hold();
        Assert.Equal(503, fourth);
        extra.Dispose();

        // Finishing one upload gives its mebibyte back: a small upload fits again.
        await held[0].SendAsync(new byte[MiB]);
        Assert.Equal(422, await held[0].ReadStatusAsync(Wait));
        Assert.Equal(422, (await origin.PostAsync(small)).Status);
        Assert.Equal(422, (await origin.PostAsync(small, chunked: true)).Status);
        // A client hanging up mid-body gives its reservation back too.
        await held[1].SendAsync(new byte[MiB / 2]);
        held[1].Dispose();
        var (status1, again1) = await RetryHold(Hold);
        var (status2, again2) = await RetryHold(Hold);
        Assert.Equal((100, 100), (status1, status2));
        Assert.Equal(503, (await origin.PostAsync(small)).Status); // and it is full again: nothing leaked, nothing counted twice
        foreach (var c in new[] { held[0], held[2], again1, again2 }) c.Dispose();
        origin.AssertNoExceptionsLogged();
    }

    /// <summary>Posts until the answer is not an immediate 503 (bounded): the server notices a hang-up asynchronously.
    /// With <paramref name="pending"/> > 0 the returned request is still waiting after that long.</summary>
    private static async Task<Task<Response>> RetryWhileRefused(Func<Task<Response>> post, TimeSpan pending)
    {
        for (int attempt = 0; attempt < 40; attempt++)
        {
            var request = post();
            var done = await Task.WhenAny(request, Task.Delay(pending == TimeSpan.Zero ? Wait : pending));
            if (done != request) return request;                     // waiting: admitted
            if ((await request).Status != 503) return request;       // served
            await Task.Delay(100);
        }
        throw new TimeoutException("still refused with 503 after 40 attempts");
    }

    private static async Task<(int Status, RawHttp Connection)> RetryHold(Func<Task<(int Status, RawHttp Connection)>> hold)
    {
        for (int attempt = 0; attempt < 40; attempt++)
        {
            var result = await hold();
            if (result.Status != 503) return result;
            result.Connection.Dispose();
            await Task.Delay(100);
        }
        throw new TimeoutException("the budget was not given back within 40 attempts");
    }

    private sealed record Response(int Status, string? RetryAfter, string? Verdict, string Body);

    /// <summary>The origin on 127.0.0.1 port 0 over an empty store, with its log lines kept.</summary>
    private sealed class Origin : IAsyncDisposable
    {
        private readonly OriginServer _server;
        private readonly LogLines _log;
        private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(1) };

        private Origin(OriginServer server, LogLines log, string url)
        {
            _server = server;
            _log = log;
            Url = url;
        }

        public string Url { get; }

        public IReadOnlyList<string> Lines => [.. _log.Lines];

        public static async Task<Origin> StartAsync(IMediaInspector inspector, Func<OriginOptions, OriginOptions> configure)
        {
            var options = configure(new OriginOptions
            {
                Listen = "http://127.0.0.1:0",
                Store = new Uri(RepoPaths.NewTempDir()).AbsoluteUri,
                VerifyBurst = 1000,
                VerifyPerMinute = 100_000,
            });
            var log = new LogLines();
            var server = new OriginServer(options, new Verifier([inspector]), new VerifyOptions(), b => b.AddProvider(log));
            await server.StartAsync();
            return new Origin(server, log, server.Urls.Single());
        }

        public async Task<Response> PostAsync(byte[] body, CancellationToken ct = default, bool chunked = false)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Url + "/verify")
            {
                Content = chunked ? new StreamContent(new UnmeasuredStream(body)) : new ByteArrayContent(body),
            };
            if (chunked) request.Headers.TransferEncodingChunked = true;
            using var response = await _http.SendAsync(request, ct);
            return new Response((int)response.StatusCode, response.Headers.RetryAfter?.ToString(),
                response.Headers.TryGetValues("X-LabelStamp-Verdict", out var v) ? v.Single() : null,
                await response.Content.ReadAsStringAsync(ct));
        }

        /// <summary>Every request path, refusals and hang-ups included, logs without an exception attached.</summary>
        public void AssertNoExceptionsLogged() => Assert.DoesNotContain(_log.Lines, l => l.Contains(LogLines.ExceptionMarker, StringComparison.Ordinal));

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await _server.DisposeAsync();
        }
    }

    /// <summary>Holds every JPEG until <see cref="Open"/>; counts starts, ends and cancellations.</summary>
    private sealed class GatedInspector(bool honoursCancellation) : IMediaInspector
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _cancellations;
        private int _completed;

        public SemaphoreSlim Started { get; } = new(0);
        public SemaphoreSlim Stopped { get; } = new(0);
        public int Cancellations => Volatile.Read(ref _cancellations);
        public int Completed => Volatile.Read(ref _completed);

        public void Open() => _open.TrySetResult();

        public bool Handles(MediaFormat format) => format == MediaFormat.Jpeg;

        public async Task<VerifyReport> InspectAsync(ReadOnlyMemory<byte> input, string name, MediaFormat format, VerifyOptions options, CancellationToken cancellationToken)
        {
            Started.Release();
            try
            {
                if (honoursCancellation) await _open.Task.WaitAsync(cancellationToken);
                else await _open.Task;
                Interlocked.Increment(ref _completed);
                var none = LayerFinding.NotChecked("test inspector");
                return new VerifyReport(name, format.Name, none, none, none, none);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _cancellations);
                throw;
            }
            finally
            {
                Stopped.Release();
            }
        }
    }

    /// <summary>A stream HttpClient cannot measure, so the upload goes out chunked.</summary>
    private sealed class UnmeasuredStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public override bool CanSeek => false;
    }

    /// <summary>Keeps every log line of every category; an exception attached to one is marked.</summary>
    private sealed class LogLines : ILoggerProvider
    {
        public const string ExceptionMarker = " !EXCEPTION! ";

        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Lines);

        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : ExceptionMarker + exception.GetType().Name)}");
        }
    }
}
