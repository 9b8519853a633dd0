using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resolver.Client;
using Resolver.Client.Upstreams;
using Resolver.Core.Admission;
using Resolver.Core.Cache;
using Resolver.Core.Dnssec;
using Resolver.Core.Forwarding;
using Resolver.Core.Pipeline;
using Resolver.Core.Zones;
using Resolver.Server.Options;

namespace Resolver.Server.Hosting;

/// <summary>
/// Registers the query pipeline behind the listeners: each stage's settings bound from its own
/// section and validated at start, and the stages in the order DESIGN.md gives
/// (admission, local zones, cache, shared cache when enabled, forwarder).
/// </summary>
public static class PipelineServices
{
    // The options factory creates each options object with its parameterless constructor; trimming must keep it.
    private const DynamicallyAccessedMemberTypes OptionsConstructor = DynamicallyAccessedMemberTypes.PublicParameterlessConstructor;

    public static IServiceCollection AddQueryPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        // Each Bind names its options type, so the configuration-binding source generator can write the binding
        // (a Bind inside a generic method cannot be generated, and the reflection binder does not survive trimming/AOT).
        Validated(services.AddOptions<PipelineOptions>().Bind(configuration.GetSection("Resolver:Pipeline")), _ => []);
        Validated(services.AddOptions<AccessControlOptions>().Bind(configuration.GetSection(AccessControlOptions.SectionName)), o => o.Validate());
        Validated(services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.SectionName)), o => o.Validate());
        Validated(services.AddOptions<LocalZoneOptions>().Bind(configuration.GetSection(LocalZoneOptions.SectionName)), _ => []);
        Validated(services.AddOptions<CacheOptions>().Bind(configuration.GetSection("Resolver:Cache")), o => o.Validate());
        Validated(services.AddOptions<ForwarderOptions>().Bind(configuration.GetSection("Resolver:Forwarder")), o => o.Validate());
        Validated(services.AddOptions<DnssecOptions>().Bind(configuration.GetSection("Resolver:Dnssec")), o => o.Problems());
        Validated(services.AddOptions<QueryLog.QueryLogOptions>().Bind(configuration.GetSection("Resolver:QueryLog")), QueryLogErrors);

        // One list of upstreams and one zones folder for the whole service: the top-level settings
        // (and --upstream / --zones, which write them) feed the stages' own options.
        services.AddOptions<ForwarderOptions>().Configure<IOptions<ResolverOptions>>((forwarder, resolver) =>
        {
            if (resolver.Value.Upstreams.Count > 0)
                forwarder.Upstreams = [.. resolver.Value.Upstreams];
        });
        services.AddOptions<LocalZoneOptions>().Configure<IOptions<ResolverOptions>>((zones, resolver) =>
            zones.Directory = resolver.Value.ZonesDirectory);

        services.AddSingleton(sp => new AdmissionMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(sp => new ZoneMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(sp => new CacheMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(sp => new ForwarderMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(sp => new ClientMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));

        services.AddSingleton(sp => new AccessControlStage(Value<AccessControlOptions>(sp), sp.GetRequiredService<AdmissionMetrics>()));
        // The rate limit's buckets refill on the host's clock (registered below), so a test's clock moves them too.
        services.AddSingleton(sp => new RateLimitStage(Value<RateLimitOptions>(sp), sp.GetRequiredService<AdmissionMetrics>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => ZoneCatalog.Load(Value<LocalZoneOptions>(sp).Directory, sp.GetRequiredService<ILoggerFactory>().CreateLogger("Resolver.Zones")));
        services.AddSingleton(sp => new LocalZoneStage(sp.GetRequiredService<ZoneCatalog>(), Value<LocalZoneOptions>(sp), sp.GetRequiredService<ZoneMetrics>()));
        services.AddHostedService<ZoneReloadService>();
        // One clock for the rate limit, the cache's expiry and the forwarder's timers; tests put their own in its place.
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new ResponseCache(Value<CacheOptions>(sp), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<CacheMetrics>()));
        services.AddHostedService<CacheSnapshotService>();
        services.AddSingleton<IDnsExchange>(sp => new DnsExchange(sp.GetRequiredService<ClientMetrics>(),
            connectionReuse: UpstreamConnections(sp.GetRequiredService<IOptions<ResolverOptions>>().Value),
            logger: sp.GetRequiredService<ILoggerFactory>().CreateLogger("Resolver.Client")));
        services.AddSingleton(sp => new ForwarderStage(Value<ForwarderOptions>(sp), sp.GetRequiredService<IDnsExchange>(),
            sp.GetRequiredService<ResponseCache>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ForwarderMetrics>(),
            logger: sp.GetRequiredService<ILogger<ForwarderStage>>(), validator: CreateValidator(sp), bogusTtl: Value<DnssecOptions>(sp).BogusTtl));
        services.AddSingleton(sp => new CacheStage(sp.GetRequiredService<ResponseCache>(), sp.GetRequiredService<ForwarderStage>()));

        // Resolver:SharedCache: registers its stage only when enabled; it then sits between the cache and the forwarder.
        services.AddSharedCache(configuration);
        services.AddSingleton<IQueryHandler>(sp => new QueryPipeline(
            [
                sp.GetRequiredService<AccessControlStage>(),
                sp.GetRequiredService<RateLimitStage>(),
                sp.GetRequiredService<LocalZoneStage>(),
                sp.GetRequiredService<CacheStage>(),
                .. OptionalStage(sp.GetService<Core.SharedCache.SharedCacheStage>()),
                sp.GetRequiredService<ForwarderStage>(),
            ],
            Value<PipelineOptions>(sp),
            sp.GetRequiredService<ILogger<QueryPipeline>>(),
            sp.GetService<IQueryObserver>()));
        // The query log, when a file is named: the pipeline's observer and a hosted writer.
        if (!string.IsNullOrWhiteSpace(configuration["Resolver:QueryLog:Path"]))
        {
            services.AddSingleton(sp => new QueryLog.QueryLogWriter(Value<QueryLog.QueryLogOptions>(sp),
                sp.GetRequiredService<ILogger<QueryLog.QueryLogWriter>>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
            services.AddSingleton<IQueryObserver>(sp => sp.GetRequiredService<QueryLog.QueryLogWriter>());
            services.AddHostedService(sp => sp.GetRequiredService<QueryLog.QueryLogWriter>());
        }
        // `resolver control` acts on the cache, the zones and the forwarder registered here.
        services.AddHostedService<Control.ControlChannelService>();
        return services;
    }

    private static IQueryStage[] OptionalStage(IQueryStage? stage) => stage is null ? [] : [stage];

    /// <summary>Kept TCP/TLS/HTTPS connections to upstreams; the CA file (checked at start) adds to the system store.</summary>
    private static ConnectionReuse UpstreamConnections(ResolverOptions options) => new()
    {
        IdleTimeout = TimeSpan.FromMilliseconds(options.Tcp.IdleTimeoutMs),
        Trust = string.IsNullOrWhiteSpace(options.Tls.CaFile) ? TlsTrust.SystemOnly : TlsTrust.FromPemFile(options.Tls.CaFile),
    };

    private static T Value<[DynamicallyAccessedMembers(OptionsConstructor)] T>(IServiceProvider services) where T : class =>
        services.GetRequiredService<IOptions<T>>().Value;

    /// <summary>Turns the options' own checks into start-up failures, one line per problem.</summary>
    private static IEnumerable<string> QueryLogErrors(QueryLog.QueryLogOptions options)
    {
        if (options.SampleOneIn < 1)
            yield return $"Resolver:QueryLog:SampleOneIn must be at least 1 (was {options.SampleOneIn})";
        if (options.QueueCapacity < 1)
            yield return $"Resolver:QueryLog:QueueCapacity must be at least 1 (was {options.QueueCapacity})";
    }

    private static void Validated<[DynamicallyAccessedMembers(OptionsConstructor)] T>(OptionsBuilder<T> options, Func<T, IEnumerable<string>> validate)
        where T : class
    {
        options.ValidateOnStart();
        options.Services.AddSingleton<IValidateOptions<T>>(new StageOptionsValidator<T>(validate));
    }

    // Resolver:Dnssec:Validate on: the trust anchors are read once at start; a missing or bad file stops the start with its reason.
    private static AnswerValidator? CreateValidator(IServiceProvider sp)
    {
        var options = Value<DnssecOptions>(sp);
        if (!options.Validate)
            return null;
        var path = Path.IsPathRooted(options.TrustAnchorFile) || File.Exists(options.TrustAnchorFile)
            ? options.TrustAnchorFile
            : Path.Combine(AppContext.BaseDirectory, options.TrustAnchorFile);
        var negative = new List<Protocol.DnsName>();
        foreach (var name in options.NegativeTrustAnchors)
            negative.Add(Protocol.DnsName.Parse(name));
        var anchors = TrustAnchors.Load(path, negative);
        var metrics = new DnssecMetrics();
        var cache = sp.GetRequiredService<ResponseCache>();
        return new AnswerValidator(anchors, options, sp.GetRequiredService<TimeProvider>(), metrics, sp.GetRequiredService<ILogger<AnswerValidator>>(),
            () => cache.Generation);
    }


    private sealed class StageOptionsValidator<T>(Func<T, IEnumerable<string>> validate) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var failures = validate(options).ToList();
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
