using System.Diagnostics;
using System.Globalization;
using System.Threading.RateLimiting;
using LabelStamp.Errors;
using LabelStamp.Verification;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LabelStamp.Worker.Origin;

/// <summary>
/// POST /verify, the free detection API, with every bound a public endpoint needs, in the order a request
/// meets them: the per-address token bucket (429), the verify line (<see cref="VerifyGate"/>, 503 before the
/// body is read), the cap (413) and the shared upload budget (<see cref="UploadBudget"/>, 503), a well-formed
/// body (400/408), a place in line again (503), then one deadline for waiting and verifying
/// (<see cref="OriginOptions.VerifyTimeout"/>: 503 while waiting, 422 LS112 while verifying).
/// Each request logs one line (status and reason, or size, verdict and time) and never a client address,
/// file name, content or stack trace; a client that goes away stops its work and is logged as such.
/// </summary>
internal sealed class VerifyEndpoint : IDisposable
{
    /// <summary>Seconds a busy answer asks the client to wait: slots and budget free up as verifications end,
    /// typically within seconds, and a longer hint would idle a server that is only briefly full.</summary>
    private const string BusyRetryAfter = "5";

    private readonly OriginOptions _options;
    private readonly Verifier _verifier;
    private readonly VerifyOptions _verifyOptions;
    private readonly ILogger _log;
    private readonly PartitionedRateLimiter<HttpContext> _limiter;
    private readonly UploadBudget _budget;
    private readonly VerifyGate _gate;

    public VerifyEndpoint(OriginOptions options, Verifier verifier, VerifyOptions verifyOptions, ILogger log)
    {
        _options = options;
        _verifier = verifier;
        _verifyOptions = verifyOptions;
        _log = log;
        _budget = new UploadBudget(options.UploadBytesInFlight);
        _gate = new VerifyGate(options.VerifyConcurrency, options.VerifyQueue);
        _limiter = PartitionedRateLimiter.Create<HttpContext, string>(ctx => RateLimitPartition.GetTokenBucketLimiter(
            ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = options.VerifyBurst,
                // Refill in small steps (every 10 s) when the rate allows, else one token per 60/rate seconds.
                TokensPerPeriod = Math.Max(1, options.VerifyPerMinute / 6),
                ReplenishmentPeriod = options.VerifyPerMinute >= 6 ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(60.0 / options.VerifyPerMinute),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    public async Task HandleAsync(HttpContext ctx)
    {
        long start = Stopwatch.GetTimestamp();
        using (var lease = _limiter.AttemptAcquire(ctx))
        {
            if (!lease.IsAcquired)
            {
                await RefuseAsync(ctx, StatusCodes.Status429TooManyRequests, "rate limit", "rate limit exceeded; retry later", retryAfter: "10").ConfigureAwait(false);
                return;
            }
        }
        if (_gate.IsFull)
        {
            await RefuseAsync(ctx, StatusCodes.Status503ServiceUnavailable, "verify queue full", "verification queue full; retry later", BusyRetryAfter).ConfigureAwait(false);
            return;
        }

        // Everything below is given back in the finally, unless a verification outlives the answer: then
        // it is given back when that verification really ends (its slot and bytes are still in use until then).
        var held = new List<IDisposable>();
        var reservation = new UploadReservation(_budget);
        held.Add(reservation);
        try
        {
            UploadOutcome upload = default;
            try { upload = await UploadReader.ReadAsync(ctx.Request, _options.MaxUploadBytes, reservation, ctx.RequestAborted).ConfigureAwait(false); }
            catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested) { }
            // Whatever the reader made of a body cut short, nobody is left to answer.
            if (ctx.RequestAborted.IsCancellationRequested)
            {
                _log.LogInformation("verify abandoned: client went away while uploading");
                return;
            }
            if (!upload.Succeeded)
            {
                await RefuseAsync(ctx, upload.Status, upload.Reason, UserMessage(upload.Status),
                    upload.Status == StatusCodes.Status503ServiceUnavailable ? BusyRetryAfter : null).ConfigureAwait(false);
                return;
            }

            var ticket = _gate.TryJoin();
            if (ticket is null)
            {
                await RefuseAsync(ctx, StatusCodes.Status503ServiceUnavailable, "verify queue full", "verification queue full; retry later", BusyRetryAfter).ConfigureAwait(false);
                return;
            }
            held.Add(ticket);
            var deadline = new CancellationTokenSource(_options.VerifyTimeout);
            held.Add(deadline);
            var linked = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, deadline.Token);
            held.Insert(0, linked); // disposed before the source it listens to

            try { await ticket.WaitForSlotAsync(linked.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                if (ctx.RequestAborted.IsCancellationRequested)
                {
                    _log.LogInformation("verify abandoned: client went away while queued");
                    return;
                }
                await RefuseAsync(ctx, StatusCodes.Status503ServiceUnavailable, "no verification slot within VerifyTimeout",
                    "no verification slot free within the deadline; retry later", BusyRetryAfter).ConfigureAwait(false);
                return;
            }

            var bytes = upload.Bytes;
            var asked = PageExtras.From(ctx.Request);
            var verifyOptions = asked.Preview ? _verifyOptions with { Preview = true } : _verifyOptions;
            // On the thread pool: a verifier that computes before its first await must not hold this request's thread past the deadline.
            var work = Task.Run(() => _verifier.VerifyAsync(bytes, "upload", verifyOptions, linked.Token), CancellationToken.None);
            VerifyReport report;
            try { report = await work.WaitAsync(linked.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                HandOff(work, held);
                held = [];
                if (ctx.RequestAborted.IsCancellationRequested)
                {
                    _log.LogInformation("verify abandoned: client went away during verification");
                    return;
                }
                report = VerifyReport.Failed("upload", LabelStampException.Format(ErrorCode.DeadlineExceeded),
                    $"upload: verification did not finish within {_options.VerifyTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s (VerifyTimeout) and was cancelled");
            }
            await AnswerAsync(ctx, report, asked, bytes.Length, start).ConfigureAwait(false);
        }
        finally
        {
            foreach (var h in held) h.Dispose();
        }
    }

    /// <summary>Gives slot, bytes and tokens back when the abandoned verification has really stopped.</summary>
    private void HandOff(Task<VerifyReport> work, List<IDisposable> held) =>
        _ = work.ContinueWith(t =>
        {
            if (t.IsFaulted) _log.LogWarning("verify: an abandoned verification failed afterwards: {Type}", t.Exception!.InnerException?.GetType().Name);
            foreach (var h in held) h.Dispose();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private async Task AnswerAsync(HttpContext ctx, VerifyReport report, PageExtras asked, int bytes, long start)
    {
        string verdict = report.ErrorCode is not null ? "error" : report.AiLabelFound ? "found" : "none";
        ctx.Response.StatusCode = report.ErrorCode is null ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity;
        ctx.Response.Headers["X-LabelStamp-Verdict"] = verdict;
        ctx.Response.Headers.CacheControl = "no-store";
        ctx.Response.ContentType = "application/json; charset=utf-8";
        _log.LogInformation("verify: {Bytes} bytes, {Verdict} {Code}, {Ms:0} ms", bytes, verdict, report.ErrorCode ?? "", Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        await ctx.Response.WriteAsync(asked.Render(report) + "\n", CancellationToken.None).ConfigureAwait(false);
    }

    private string UserMessage(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => $"upload larger than {_options.MaxUploadBytes} bytes",
        StatusCodes.Status408RequestTimeout => "upload arrived too slowly",
        StatusCodes.Status503ServiceUnavailable => "too many uploads in progress; retry later",
        _ => "send the file as the request body or as one multipart/form-data file part",
    };

    /// <summary>
    /// A refusal: one log line (status and our fixed reason) and a one-line text answer. The connection is
    /// closed after it: the rest of an unread body is not worth draining.
    /// </summary>
    private async Task RefuseAsync(HttpContext ctx, int status, string reason, string message, string? retryAfter = null)
    {
        _log.LogInformation("verify refused: {Status} {Reason}", status, reason);
        if (ctx.Response.HasStarted) return;
        ctx.Response.StatusCode = status;
        ctx.Response.Headers.CacheControl = "no-store";
        ctx.Response.Headers.Connection = "close";
        if (retryAfter is not null) ctx.Response.Headers.RetryAfter = retryAfter;
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        await ctx.Response.WriteAsync(message + "\n", CancellationToken.None).ConfigureAwait(false);
    }

    public void Dispose() => _limiter.Dispose();
}
