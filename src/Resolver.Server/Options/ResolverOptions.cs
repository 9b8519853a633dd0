namespace Resolver.Server.Options;

/// <summary>
/// The server's settings, bound from the configuration section <c>Resolver</c> (appsettings.json,
/// <c>--config FILE</c>, environment variables <c>Resolver__Section__Key</c>, command-line options).
/// Lists start empty in code: the shipped defaults live in appsettings.json, because the configuration
/// binder appends to a list that already holds items instead of replacing it.
/// </summary>
public sealed class ResolverOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Resolver";

    /// <summary>Addresses to serve on, each "ADDR:PORT" (IPv6 as "[::1]:53"). Port 0 picks a free port (tests).</summary>
    public List<string> Listen { get; set; } = [];

    /// <summary>Addresses to serve DNS over TLS on (RFC 7858), each "ADDR:PORT" (<c>--listen-tls</c>).</summary>
    public List<string> ListenTls { get; set; } = [];

    /// <summary>Addresses to serve DNS over HTTPS on (RFC 8484, path /dns-query), each "ADDR:PORT" (<c>--listen-https</c>).</summary>
    public List<string> ListenHttps { get; set; } = [];

    /// <summary>Upstream servers, each "ADDR[:PORT]" (port 53 when left out) or a tcp://, tls://, https:// URI.</summary>
    public List<string> Upstreams { get; set; } = [];

    /// <summary>Folder of local zone files (*.zone). A relative path is taken from the executable's folder.</summary>
    public string ZonesDirectory { get; set; } = "zones";

    /// <summary>How long in-flight queries may still be answered after a stop is asked for.</summary>
    public int ShutdownGraceMs { get; set; } = 2000;

    /// <summary>
    /// The nice value of the whole process on Linux (-20 to 19; 0 leaves it as started). Below 0, a thread woken by
    /// a query runs ahead of other programs on its core instead of taking turns with them slice by slice. It is the
    /// whole process, not the receive loops alone: a loop above the thread pool workers that finish cache misses
    /// starved them (a fresh process's first second of a miss flood: 5.7-11.5k misses/s, against 10.8-13.7k with the
    /// whole process at -10; README "Performance"). Lowering it needs CAP_SYS_NICE or
    /// an RLIMIT_NICE that allows it (systemd <c>LimitNICE=</c>, <c>docker run --ulimit nice=</c>); without that
    /// the process keeps its value and the log says so once.
    /// </summary>
    public int Nice { get; set; } = -10;

    public UdpListenerOptions Udp { get; set; } = new();

    public TcpListenerOptions Tcp { get; set; } = new();

    /// <summary>Certificates: the CA file for encrypted upstreams, the listeners' certificate and key.</summary>
    public TlsOptions Tls { get; set; } = new();

    /// <summary>The control channel (off unless Socket is set).</summary>
    public Control.ControlOptions Control { get; set; } = new();

    /// <summary>The Prometheus endpoint (off unless Listen is set).</summary>
    public MetricsOptions Metrics { get; set; } = new();
}
