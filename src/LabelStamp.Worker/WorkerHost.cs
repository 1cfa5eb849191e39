using LabelStamp.Labels;
using LabelStamp.Pipeline;
using LabelStamp.Worker.Configuration;
using LabelStamp.Worker.Consumers;
using LabelStamp.Worker.Metrics;
using LabelStamp.Worker.Processing;
using LabelStamp.Worker.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LabelStamp.Worker;

/// <summary>
/// Composes the worker as a .NET Generic Host: configuration from appsettings.json, then
/// <c>LABELSTAMP__…</c> environment variables, then command-line flags (later wins); options validated
/// before anything connects. The caller supplies the <see cref="Stamper"/> (the worker never knows a pixel).
/// </summary>
public static class WorkerHost
{
    /// <param name="createPropagator">Platform mode (Worker:Mode = Platform) only: builds the propagator from the validated platform options.</param>
    public static IHost Create(IReadOnlyDictionary<string, string?> flags, Func<IConfiguration, Stamper> createStamper, LabelPolicy? policy = null,
        Func<IConfiguration, LabelStamp.Platform.PlatformOptions, LabelStamp.Platform.Propagator>? createPropagator = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        builder.Configuration
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables("LABELSTAMP__")
            .AddInMemoryCollection(flags);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));

        var options = (builder.Configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions()).Validate();
        var stamper = createStamper(builder.Configuration);
        LabelStamp.Platform.Propagator? propagator = null;
        if (options.Mode == WorkerMode.Platform)
        {
            var platformOptions = options.PlatformOptions(policy ?? new LabelPolicy());
            propagator = createPropagator?.Invoke(builder.Configuration, platformOptions)
                         ?? throw new LabelStamp.Errors.LabelStampException(LabelStamp.Errors.ErrorCode.InvalidArgument, "worker configuration: Mode Platform is not available in this host");
        }
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(stamper);
        builder.Services.AddSingleton(new WorkerMetrics());
        builder.Services.AddSingleton(new WorkerHealth());
        builder.Services.AddSingleton(sp =>
        {
            // Workers write only labeled outputs, into the area the origin serves; they read references anywhere in the store.
            IClaimCheckStore? store = options.Store.Length > 0 ? FileClaimCheckStore.FromUri(options.Store).Area(FileClaimCheckStore.LabeledArea) : null;
            HttpReferenceReader? http = null;
            if (options.HttpAllowedHosts.Length > 0)
            {
                var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = options.HttpTimeout })
                {
                    MaxResponseContentBufferSize = options.HttpMaxBytes,
                };
                http = new HttpReferenceReader(client, options.HttpAllowedHosts, options.HttpTimeout);
            }
            return new MessageLabeler(stamper, policy ?? new LabelPolicy(), options, new ReferenceResolver(store, http), store,
                sp.GetRequiredService<WorkerMetrics>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<MessageLabeler>(), propagator);
        });
        builder.Services.AddHostedService(sp => new MetricsEndpoint(sp.GetRequiredService<WorkerMetrics>(), sp.GetRequiredService<WorkerHealth>(),
            options.MetricsPort, sp.GetRequiredService<ILogger<MetricsEndpoint>>()));
        if (options.Delivery == DeliveryMode.ExactlyOnce) builder.Services.AddHostedService<TransactionalLabelingWorker>();
        else builder.Services.AddHostedService<LabelingWorker>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.DrainTimeout + TimeSpan.FromSeconds(15));
        var host = builder.Build();
        // libvips' warnings about damaged inputs belong in the structured log, not raw on stderr.
        var vips = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("LabelStamp.Vips");
        LabelStamp.Media.Images.VipsRuntime.WarningSink = line => vips.LogInformation("libvips {Warning}", line);
        return host;
    }
}
