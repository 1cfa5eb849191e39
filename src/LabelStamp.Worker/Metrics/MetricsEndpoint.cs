using System.Net;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LabelStamp.Worker.Metrics;

/// <summary>
/// Serves GET /metrics (Prometheus text) and GET /health (200 while the consume loop is alive, 503
/// otherwise) on the configured port. HttpListener serves these two routes without starting a
/// web host in every worker; the Kestrel host of Origin/ runs only for `serve`.
/// </summary>
public sealed class MetricsEndpoint : BackgroundService
{
    private readonly WorkerMetrics _metrics;
    private readonly WorkerHealth _health;
    private readonly int _port;
    private readonly ILogger<MetricsEndpoint> _logger;

    public MetricsEndpoint(WorkerMetrics metrics, WorkerHealth health, int port, ILogger<MetricsEndpoint> logger)
    {
        _metrics = metrics;
        _health = health;
        _port = port;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_port == 0) return;
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://+:{_port}/");
        listener.Start();
        _logger.LogInformation("metrics on http://localhost:{Port}/metrics, health on /health", _port);
        await using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync().ConfigureAwait(false); }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException) { break; }
            _ = ServeAsync(context, stoppingToken);
        }
    }

    private async Task ServeAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        try
        {
            var response = context.Response;
            switch (context.Request.Url?.AbsolutePath)
            {
                case "/metrics":
                    response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                    await _metrics.Registry.CollectAndExportAsTextAsync(response.OutputStream, cancellationToken).ConfigureAwait(false);
                    break;
                case "/health":
                    bool healthy = _health.IsHealthy(out string reason);
                    response.StatusCode = healthy ? 200 : 503;
                    await response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(reason + "\n"), cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    response.StatusCode = 404;
                    break;
            }
            response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or OperationCanceledException)
        {
            _logger.LogDebug("metrics request ended early: {Error}", ex.GetType().Name);
        }
    }
}
